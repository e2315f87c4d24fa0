import { ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppLogger } from '../logging/logger.js';
import { DomainError } from './domain-error.js';
import { sendError } from './error-envelope.js';
import { toDomainError } from './error-mapping.js';

/** Every failure leaves the server as the error envelope; internals are only logged. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const requestId = request.id;
    let error = toDomainError(exception);
    if (!error) {
      this.logger.error({ err: exception, requestId, stack: (exception as Error)?.stack }, 'unhandled error');
      error = new DomainError('internal_error', 'Something went wrong on our side; the request id identifies it in the logs');
    } else if (error.status >= 500) {
      this.logger.warn({ err: exception, requestId, code: error.code }, error.message);
    }
    sendError(response, error, requestId);
  }
}
