import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule, type AppModuleOptions } from './app.module.js';
import { createSessionMiddleware, PLAIN_COOKIE_NAME, SECURE_COOKIE_NAME } from './common/auth/session.js';
import { SessionCache } from './common/auth/session-cache.js';
import { originCheck } from './common/http/origin-check.js';
import { securityHeaders } from './common/http/security-headers.js';
import { RefusalGate } from './common/http/refusal-gate.js';
import { Sql } from './database/sql.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { answerClientErrors } from './common/http/client-errors.js';
import { jsonBodyParser } from './common/http/body-parsing.js';
import { setupSwagger } from './common/http/swagger.js';
import { defaultWebClientDir, serveWebClient } from './common/http/web-client.js';
import { UnreadAnswers } from './common/http/unread-answers.js';
import { StableShapesExpressAdapter } from './common/http/express-adapter.js';
import { createValidationPipe } from './common/http/validation.js';
import { UnknownQueryGuard } from './common/http/unknown-query.guard.js';
import { MultipartGate } from './files/multipart-gate.guard.js';
import { NestPinoLogger } from './common/logging/logger.js';
import { requestLogging } from './common/logging/request-logging.js';
import { MetricsService } from './metrics/metrics.service.js';
import { requestMetrics } from './metrics/request-metrics.js';

/**
 * Builds the HTTP application: the same wiring serves `npm start` and the
 * end-to-end tests, so the tests exercise what runs in production.
 */
export async function createApp(options: AppModuleOptions & { webClientDir?: string }): Promise<NestExpressApplication> {
  const { config, logger } = options;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), new StableShapesExpressAdapter(), {
    bodyParser: false,
    abortOnError: false,
    logger: new NestPinoLogger(logger.child({ component: 'nest' })),
  });
  // A hop count, never `true`: only that many proxies may set X-Forwarded-For.
  app.set('trust proxy', config.http.trustProxyHops);
  app.disable('x-powered-by');
  // API answers change with every write and no client revalidates them; a hash of each body is wasted work.
  // (The client's static files keep their own ETags.)
  app.set('etag', false);
  answerClientErrors(app.getHttpServer());
  app.use(requestLogging(logger));
  app.use(new UnreadAnswers(config.http.unreadAnswers).middleware());
  app.use(requestMetrics(app.get(MetricsService)));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    }),
  );
  // Credentials are only shared with the configured origins.
  const allowedOrigins = new Set(config.http.allowedOrigins);
  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowedOrigins.has(origin)),
    credentials: true,
    exposedHeaders: ['X-Request-Id', 'X-Total-Count', 'Retry-After', 'Content-Disposition'],
  });
  serveWebClient(app, options.webClientDir ?? defaultWebClientDir());
  app.use(new RefusalGate(config.http.refusals, [PLAIN_COOKIE_NAME, SECURE_COOKIE_NAME]).middleware());
  app.use(originCheck(config.http.allowedOrigins));
  app.use(jsonBodyParser(config.http));
  // Sessions belong to the API: health checks, metrics, docs and the client's files neither need nor create one.
  const sessions = createSessionMiddleware(config, app.get(Sql).pool, logger, app.get(SessionCache));
  app.use((request: Request, response: Response, next: NextFunction) =>
    request.path.startsWith('/api/') ? sessions(request, response, next) : next(),
  );
  // After the guards the modules install (session, rate): an unknown query parameter, or a
  // multipart body on a route that takes JSON, is refused once the caller is known.
  app.useGlobalGuards(new UnknownQueryGuard(), new MultipartGate());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(logger));
  setupSwagger(app);
  await app.init();
  return app;
}
