import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { APP_INFO } from '../app-info.js';

/** Swagger UI at /docs and the OpenAPI document at /docs-json, generated from the DTOs. */
export function setupSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Assistants platform API')
      .setDescription(
        'Multi-user assistants, threads, files and streamed chat. Errors are {error, code, details?}. ' +
          'Sign in with POST /api/login; the session cookie authenticates the other routes.',
      )
      .setVersion(APP_INFO.version)
      .addCookieAuth('sid')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: 'Assistants platform API',
  });
}
