import { applyDecorators, Injectable, SetMetadata, UseInterceptors, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { finalize, type Observable } from 'rxjs';
import { currentUserOf, type AuthenticatedRequest } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { closeAfterAnswer } from '../common/http/lingering-close.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { readMultipart, requestTooLarge } from './multipart-reader.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { SpooledFile, UploadSpool } from './upload-spool.js';
import { UploadSpools } from './upload-spools.js';

import { ACCEPTS_FILES } from './multipart-gate.guard.js';

const received = new WeakMap<Request, SpooledFile[]>();

/**
 * The one place multipart bodies are let in, on the routes marked
 * @AcceptsFiles(): the form is read by multer into a spool on disk (fields in
 * request.body, files through uploadedFiles). The spool is removed when the
 * request ends, whether it succeeded or not. Every other route refuses a
 * multipart body before reading it (MultipartGate), and runs no interceptor.
 */
@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  constructor(
    private readonly spools: UploadSpools,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.is('multipart/form-data')) return next.handle();
    const refuse = (error: unknown): never => {
      // The rest of the body is never read: the connection cannot carry another request.
      if (!request.complete) closeAfterAnswer(request, response);
      throw error;
    };
    const { maxRequestBytes, maxFilesPerRequest } = this.config.uploads;
    if (Number(request.headers['content-length'] ?? 0) > maxRequestBytes) refuse(requestTooLarge(maxRequestBytes));

    // Uploads belong to a user: the spool's budget is what is left of theirs.
    const spool = await this.spools.open(currentUserOf(context).id).catch(refuse);
    try {
      const form = await readMultipart(request, spool, { maxRequestBytes, maxFilesPerRequest });
      request.body = form.fields;
      received.set(request, form.files);
    } catch (error) {
      await this.dispose(spool);
      return refuse(error);
    }
    return next.handle().pipe(finalize(() => void this.dispose(spool)));
  }

  /** Removes a spool; one that cannot be removed now is a leftover the next start removes. */
  private async dispose(spool: UploadSpool): Promise<void> {
    await spool.dispose().catch((error: unknown) => this.logger.warn({ err: error, folder: spool.dir }, 'could not remove an upload spool'));
  }
}

/** Marks a route (or controller) that takes multipart/form-data uploads; every other route refuses them (415). */
export const AcceptsFiles = () => applyDecorators(SetMetadata(ACCEPTS_FILES, true), UseInterceptors(MultipartInterceptor));

/** The files of a multipart request, from the accepted field names only. */
export function uploadedFiles(request: Request, fieldNames: string[]): SpooledFile[] {
  const files = received.get(request) ?? [];
  const unexpected = files.find((file) => !fieldNames.includes(file.fieldName));
  if (unexpected) {
    throw new DomainError('validation_failed', `Send files in the ${fieldNames.join(' or ')} field`, [
      { field: unexpected.fieldName, message: `${unexpected.fieldName} is not an accepted file field` },
    ]);
  }
  return files;
}

/** For routes that take files and no fields: any field is refused, as DTOs refuse fields they do not name. */
export function refuseFields(request: Request): void {
  const fields = Object.keys((request.body as Record<string, unknown> | undefined) ?? {});
  if (fields.length > 0) {
    throw new DomainError(
      'validation_failed',
      fields.map((field) => `${field} is not an accepted field`).join('; '),
      fields.map((field) => ({ field, message: `${field} is not an accepted field` })),
    );
  }
}
