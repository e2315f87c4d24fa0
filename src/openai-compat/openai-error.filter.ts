import { ArgumentsHost, Catch, Injectable, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { toDomainError } from '../common/errors/error-mapping.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';

/** OpenAI's error types by status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** OpenAI's error body: `{error: {message, type, param, code}}`; `code` carries the platform's code. */
export function openAiErrorBody(error: DomainError): { error: { message: string; type: string; param: string | null; code: string } } {
  const param = error.details?.find((detail) => detail.field)?.field ?? null;
  return { error: { message: error.message, type: errorType(error.status), param, code: error.code } };
}

/**
 * Errors of the /v1 routes in OpenAI's wire format, with the same statuses
 * and codes as the rest of the API (a stream already begun is only ended).
 */
@Catch()
@Injectable()
export class OpenAiErrorFilter implements ExceptionFilter {
  constructor(@InjectLogger() private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    let error = toDomainError(exception);
    if (!error) {
      this.logger.error({ err: exception, requestId: request.id, stack: (exception as Error)?.stack }, 'unhandled error');
      error = new DomainError('internal_error', `Something went wrong on our side (request ${request.id})`);
    } else if (error.status >= 500) {
      this.logger.warn({ err: exception, requestId: request.id, code: error.code }, error.message);
    }
    if (response.headersSent) {
      if (!response.writableEnded) response.end();
      return;
    }
    response.locals.errorCode = error.code;
    if (error.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    response.status(error.status).json(openAiErrorBody(error));
  }
}
