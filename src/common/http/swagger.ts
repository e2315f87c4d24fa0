import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_INFO } from '../app-info.js';

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json, generated from
 * the DTOs on the first request for them: a server nobody reads the document
 * from never builds it (heap and time at start).
 */
export function setupSwagger(app: INestApplication): void {
  const info = new DocumentBuilder()
    .setTitle('Assistants platform API')
    .setDescription(
      'Multi-user assistants, threads, files and streamed chat. Errors are {error, code, details?}. ' +
        'Sign in with POST /api/login; the session cookie authenticates the other routes.',
    )
    .setVersion(APP_INFO.version)
    .addCookieAuth('sid')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, info), {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Assistants platform API',
  });
}
