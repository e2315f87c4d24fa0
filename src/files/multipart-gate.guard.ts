import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { closeAfterAnswer } from '../common/http/lingering-close.js';

/** The metadata @AcceptsFiles() sets on a route or controller. */
export const ACCEPTS_FILES = 'acceptsFiles';

function acceptsFiles(context: ExecutionContext): boolean {
  return Reflect.getMetadata(ACCEPTS_FILES, context.getHandler()) === true || Reflect.getMetadata(ACCEPTS_FILES, context.getClass()) === true;
}

/**
 * Refuses a multipart body (415) on every route not marked @AcceptsFiles(),
 * without reading it. A guard, installed after the application's (a request
 * without a session is still a 401): the routes that take JSON run no
 * interceptor at all.
 */
export class MultipartGate implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is('multipart/form-data') || acceptsFiles(context)) return true;
    // The rest of the body is never read: the connection cannot carry another request.
    if (!request.complete) closeAfterAnswer(request, context.switchToHttp().getResponse<Response>());
    throw new DomainError('unsupported_media_type', 'This route takes a JSON body, not a multipart form (files go to POST /api/upload)');
  }
}
