import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Reads a multipart body into memory (nothing touches the disk, so a refused
 * upload leaves nothing behind) and turns multer's failures into the error
 * envelope. Requests that are not multipart pass through untouched.
 */
@Injectable()
export class MultipartInterceptor implements NestInterceptor {
  private readonly parse: RequestHandler;

  constructor(@InjectConfig() private readonly config: AppConfig) {
    const { maxFileBytes, maxFilesPerRequest } = config.uploads;
    this.parse = multer({
      storage: multer.memoryStorage(),
      // Browsers put a chosen folder's relative path in the file name.
      preservePath: true,
      defParamCharset: 'utf8',
      limits: {
        fileSize: maxFileBytes,
        files: maxFilesPerRequest,
        fields: 2 * maxFilesPerRequest + 20,
        fieldSize: 64 * 1024,
        parts: 3 * maxFilesPerRequest + 20,
        headerPairs: 100,
      },
    }).any();
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    if (!request.is('multipart/form-data')) return next.handle();
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > this.config.uploads.maxRequestBytes) {
      response.setHeader('Connection', 'close');
      throw new DomainError('payload_too_large', `An upload request may carry at most ${megabytes(this.config.uploads.maxRequestBytes)}`);
    }
    await new Promise<void>((resolve, reject) =>
      this.parse(request, response, (error?: unknown) => (error ? reject(this.toDomainError(error)) : resolve())),
    );
    return next.handle();
  }

  private toDomainError(error: unknown): DomainError {
    if (error instanceof multer.MulterError) {
      switch (error.code) {
        case 'LIMIT_FILE_SIZE': {
          const filename = (error as { filename?: string }).filename;
          return new DomainError(
            'payload_too_large',
            `${filename ? `${filename} is` : 'A file is'} larger than ${megabytes(this.config.uploads.maxFileBytes)}`,
          );
        }
        case 'LIMIT_FILE_COUNT':
          return new DomainError('too_many_files', `At most ${this.config.uploads.maxFilesPerRequest} files per request`);
        default:
          return new DomainError('bad_request', `The upload form is not valid: ${error.message.toLowerCase()}`);
      }
    }
    return new DomainError('bad_request', 'The upload could not be read (malformed or truncated multipart body)');
  }
}

/** The files of a parsed multipart request, from the accepted field names only. */
export function uploadedFiles(request: Request, fieldNames: string[]): Express.Multer.File[] {
  const files = (request.files as Express.Multer.File[] | undefined) ?? [];
  const unexpected = files.find((file) => !fieldNames.includes(file.fieldname));
  if (unexpected) {
    throw new DomainError('validation_failed', `Send files in the ${fieldNames.join(' or ')} field`, [
      { field: unexpected.fieldname, message: `${unexpected.fieldname} is not an accepted file field` },
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
