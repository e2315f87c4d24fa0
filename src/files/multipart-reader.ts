import type { Request } from 'express';
import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import multer from 'multer';
import { DomainError } from '../common/errors/domain-error.js';
import { SpoolStorage } from './spool-storage.js';
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
const MAX_FIELD_NAME_BYTES = 100;
/** A plain name, optionally with the "[]" some clients add to repeated fields. */
const FIELD_NAME = /^([A-Za-z][A-Za-z0-9_]{0,99})(\[\])?$/;

export function requestTooLarge(maxRequestBytes: number): DomainError {
  return new DomainError('payload_too_large', `An upload request may carry at most ${megabytes(maxRequestBytes)}`);
}

function malformed(detail?: string): DomainError {
  return new DomainError('bad_request', detail ? `The upload form is not valid: ${detail}` : 'The upload could not be read (malformed or truncated multipart body)');
}

function notAcceptedField(rawName: string): DomainError {
  const field = rawName.slice(0, 100);
  return new DomainError('validation_failed', `${field} is not an accepted field`, [{ field, message: 'not an accepted field' }]);
}

/** A failure of this server (a full disk, a folder it may not write), not of the client's form. */
function isServerFault(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** What the client is told of a form multer (or busboy under it) could not read. */
function uploadError(error: unknown): unknown {
  if (error instanceof DomainError || isServerFault(error)) return error;
  if (!(error instanceof multer.MulterError)) return malformed();
  const code: string = error.code;
  const field = error.field ?? '';
  switch (code) {
    case 'LIMIT_FIELD_KEY':
      return malformed('a field name is too long');
    case 'LIMIT_FIELD_VALUE':
      return malformed(`the field ${field.slice(0, 100)} is longer than ${MAX_FIELD_BYTES} bytes`);
    case 'LIMIT_FIELD_COUNT':
      return malformed('too many fields');
    case 'LIMIT_PART_COUNT':
      return malformed('too many parts');
    case 'MISSING_FIELD_NAME':
      return malformed('a part has no field name');
    case 'INVALID_FIELD_NAME':
      return notAcceptedField(field);
    default:
      return malformed();
  }
}

/**
 * The request's body as multer reads it: every byte is counted as it
 * arrives, whatever Content-Length or Transfer-Encoding announced, and the
 * body fails at the first byte past the limit. multer sees this stream, never
 * the request itself, so that ending the form (done or refused) stops the
 * reading at once instead of draining whatever the client still sends.
 */
class CountedBody extends Transform {
  readonly headers: IncomingHttpHeaders;
  /** The form's fields, set by multer. */
  body: Record<string, string | string[]> = {};
  private received = 0;

  constructor(
    request: Request,
    private readonly maxBytes: number,
  ) {
    super();
    this.headers = request.headers;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.maxBytes) return callback(requestTooLarge(this.maxBytes));
    callback(null, chunk);
  }
}

/** multer's middleware as it is used here: on the counted body (a stream with the request's headers) rather than the request. */
type FormParser = (body: CountedBody, response: unknown, done: (error?: unknown) => void) => void;

/** multer 2's hook for feeding its parser (missing from its type declarations). */
interface ParserOptions extends multer.Options {
  streamHandler(body: Readable, parser: Writable): void;
}

/**
 * Reads a multipart/form-data request with multer into the spool: fields
 * into memory (small and few), each file part to its own file on disk as it
 * streams (SpoolStorage). The request stops at the first byte past a limit,
 * however it was sent. On a refusal the rest of the request is left unread
 * (the caller answers and closes the connection) and the promise settles
 * only once every file write has ended, so nothing adds to the spool while
 * the caller removes it.
 */
export async function readMultipart(request: Request, spool: UploadSpool, limits: MultipartLimits): Promise<MultipartForm> {
  const body = new CountedBody(request, limits.maxRequestBytes);
  // Called once multer has a refusal (it has it first: every call comes after multer's own handler has run).
  // multer would go on reading the form, draining what follows, until it has removed the parts it kept;
  // without its body, it answers at once.
  const stopReading = () => !body.readableEnded && body.destroy();
  const storage = new SpoolStorage(spool, stopReading);
  const options: ParserOptions = {
    storage,
    // Browsers put a chosen folder's relative path in the file name.
    preservePath: true,
    defParamCharset: 'utf8',
    // The most each may be (multer hands busboy one more for sizes and parts, to tell "at" from "past" the limit).
    limits: {
      fieldNameSize: MAX_FIELD_NAME_BYTES,
      fieldSize: MAX_FIELD_BYTES,
      fields: 2 * limits.maxFilesPerRequest + 20,
      parts: 3 * limits.maxFilesPerRequest + 19,
      headerPairs: 100,
    },
    fileFilter: (_request, file, accept) => {
      if (file.fieldname) return accept(null, true);
      accept(malformed('a file part has no field name'));
      stopReading();
    },
    streamHandler: (source, parser) => {
      // multer builds the fields; names beyond a plain name (nested, indexed) are refused, as DTOs know none.
      parser.on('field', (name: string | undefined, _value: string, info: { nameTruncated: boolean; valueTruncated: boolean }) => {
        if (name === undefined || info.nameTruncated || info.valueTruncated) return stopReading();
        if (!FIELD_NAME.test(name)) body.destroy(notAcceptedField(name));
      });
      parser.on('file', (name: string | undefined) => name === undefined && stopReading());
      for (const limit of ['partsLimit', 'fieldsLimit']) parser.on(limit, stopReading);
      // multer lets go of the body when it ends the form, whatever the reason (a malformed form among them).
      parser.once('unpipe', stopReading);
      source.pipe(parser);
    },
  };
  const parse = multer(options).any() as unknown as FormParser;

  const cutShort = () => body.destroy(malformed('the upload was cut short'));
  const onClose = () => !request.complete && cutShort();
  request.on('error', cutShort);
  request.on('close', onClose);
  request.pipe(body);
  try {
    await new Promise<void>((resolve, reject) => parse(body, undefined, (error) => (error ? reject(error) : resolve())));
  } catch (error) {
    request.unpipe(body);
    request.pause();
    body.destroy();
    await storage.settled();
    throw uploadError(error);
  } finally {
    request.off('error', cutShort);
    request.off('close', onClose);
  }
  return { fields: { ...body.body }, files: spool.files };
}
