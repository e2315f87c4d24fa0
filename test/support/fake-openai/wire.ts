import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The error object of every OpenAI error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorObject {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

export const SERVER_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!';

export class HttpError {
  constructor(
    readonly status: number,
    readonly error: OpenAIErrorObject,
    readonly headers: Record<string, string> = {},
  ) {}
}

export function invalidRequest(
  status: number,
  message: string,
  param: string | null = null,
  code: string | null = null,
): HttpError {
  return new HttpError(status, { message, param, code, type: 'invalid_request_error' });
}

export function notFound(message: string, param: string | null = null) {
  return invalidRequest(404, message, param);
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let text = '';
  for (const byte of bytes) text += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return text;
}

/** Ids shaped like the real API's: `resp_<hex>`, `msg_<hex>`, `fs_<hex>`, `file-<base62>`, `vs_<base62>`. */
export const newId = {
  response: () => `resp_${randomBytes(24).toString('hex')}`,
  message: () => `msg_${randomBytes(24).toString('hex')}`,
  fileSearchCall: () => `fs_${randomBytes(24).toString('hex')}`,
  file: () => `file-${randomAlphanumeric(22)}`,
  vectorStore: () => `vs_${randomAlphanumeric(24)}`,
  request: () => `req_${randomBytes(16).toString('hex')}`,
};

export function unixSeconds(milliseconds = Date.now()): number {
  return Math.floor(milliseconds / 1000);
}

/** Headers the real API sends with every answer; the SDK exposes x-request-id as `requestID`. */
export function standardHeaders(): Record<string, string> {
  return { 'x-request-id': newId.request(), 'openai-version': '2020-10-01' };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...standardHeaders(),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, { error: error.error }, error.headers);
}
