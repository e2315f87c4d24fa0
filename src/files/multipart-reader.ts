import busboy from 'busboy';
import type { Request } from 'express';
import { DomainError } from '../common/errors/domain-error.js';
import { megabytes, type SpooledFile, type UploadSpool } from './upload-spool.js';

export interface MultipartLimits {
  /** Every byte of the request body counts, whatever its headers announced. */
  maxRequestBytes: number;
  maxFilesPerRequest: number;
}

export interface MultipartForm {
  fields: Record<string, string | string[]>;
  files: SpooledFile[];
}

const MAX_FIELD_BYTES = 64 * 1024;
/** A plain name, optionally with the "[]" some clients add to repeated fields. */
const FIELD_NAME = /^([A-Za-z][A-Za-z0-9_]{0,99})(\[\])?$/;

export function requestTooLarge(maxRequestBytes: number): DomainError {
  return new DomainError('payload_too_large', `An upload request may carry at most ${megabytes(maxRequestBytes)}`);
}

function malformed(detail?: string): DomainError {
  return new DomainError('bad_request', detail ? `The upload form is not valid: ${detail}` : 'The upload could not be read (malformed or truncated multipart body)');
}

/** A failure of this server (a full disk, a folder it may not write), not of the client's form. */
function isServerFault(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function addField(fields: Record<string, string | string[]>, rawName: string, value: string): void {
  const match = FIELD_NAME.exec(rawName);
  if (!match) throw new DomainError('validation_failed', `${rawName.slice(0, 100)} is not an accepted field`, [{ field: rawName.slice(0, 100), message: 'not an accepted field' }]);
  const name = match[1];
  const existing = fields[name];
  if (existing === undefined) fields[name] = match[2] ? [value] : value;
  else fields[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
}

/**
 * Reads a multipart/form-data request into the spool: fields into memory
 * (small and few), each file part to its own file on disk as it streams.
 * Every byte of the body is counted as it arrives and the read stops at the
 * first byte past a limit, so a body sent chunked, or longer than its
 * Content-Length claims, is cut just the same. On a refusal the request is
 * left unread (the caller answers and closes the connection).
 */
export function readMultipart(request: Request, spool: UploadSpool, limits: MultipartLimits): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // Browsers put a chosen folder's relative path in the file name.
        preservePath: true,
        defParamCharset: 'utf8',
        limits: {
          fields: 2 * limits.maxFilesPerRequest + 20,
          fieldSize: MAX_FIELD_BYTES + 1,
          parts: 3 * limits.maxFilesPerRequest + 20,
          headerPairs: 100,
        },
      });
    } catch {
      reject(malformed());
      return;
    }
    const fields: Record<string, string | string[]> = {};
    const writes: Array<Promise<unknown>> = [];
    let received = 0;
    let settled = false;

    const stop = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.pause();
      parser.removeAllListeners();
      // A late parser error after the refusal has nobody left to tell.
      parser.on('error', () => undefined);
      parser.destroy();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stop();
      // Destroying the parser ends the file being written; once every write has
      // settled, nothing can add to the spool while the caller removes it.
      void Promise.allSettled(writes).then(() => reject(error instanceof DomainError || isServerFault(error) ? error : malformed()));
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.maxRequestBytes) return fail(requestTooLarge(limits.maxRequestBytes));
      if (!parser.write(chunk)) {
        request.pause();
        parser.once('drain', () => !settled && request.resume());
      }
    };
    const onEnd = () => parser.end();
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', () => fail(malformed('the upload was cut short')));
    request.on('close', () => !request.complete && fail(malformed('the upload was cut short')));

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated) return fail(malformed('a field name is too long'));
      if (info.valueTruncated) return fail(malformed(`the field ${name.slice(0, 100)} is longer than ${MAX_FIELD_BYTES} bytes`));
      try {
        addField(fields, name, value);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, info) => {
      // Destroying the parser on a refusal ends this stream with an error that is already handled.
      stream.on('error', () => undefined);
      if (!name) return fail(malformed('a file part has no field name'));
      // A file input left empty sends a part without a file name: nothing to keep.
      if (!info.filename) return stream.resume();
      let slot: number;
      try {
        slot = spool.claim();
      } catch (error) {
        return fail(error);
      }
      const meta = { fieldName: name, originalName: info.filename, claimedType: info.mimeType };
      writes.push(spool.receive(slot, stream, meta).catch(fail));
    });
    parser.on('partsLimit', () => fail(malformed('too many parts')));
    parser.on('fieldsLimit', () => fail(malformed('too many fields')));
    parser.on('error', () => fail(malformed()));
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        if (settled) return;
        settled = true;
        resolve({ fields, files: spool.files });
      });
    });
  });
}
