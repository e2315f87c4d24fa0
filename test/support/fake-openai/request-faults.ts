import type { ServerResponse } from 'node:http';
import type { RequestFault } from './scripting.js';
import { HttpError, invalidRequest, sendError, SERVER_ERROR_MESSAGE } from './wire.js';

const DEFAULT_RETRY_AFTER_SECONDS = 1;
const API_KEYS_PAGE = 'https://platform.openai.com/account/api-keys';

/** 401 for a missing or rejected key, as the real API words it. */
export function invalidApiKey(key: string | undefined): HttpError {
  const message = key
    ? `Incorrect API key provided: ${maskKey(key)}. You can find your API key at ${API_KEYS_PAGE}.`
    : "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer " +
      'auth (i.e. Authorization: Bearer YOUR_KEY).';
  return invalidRequest(401, message, null, 'invalid_api_key');
}

function maskKey(key: string): string {
  return key.length <= 10 ? `${key.slice(0, 3)}***` : `${key.slice(0, 6)}${'*'.repeat(8)}${key.slice(-4)}`;
}

/** Accepts `sk-…` keys except `sk-invalid…` and keys a test rejected. */
export class ApiKeyPolicy {
  private readonly rejected = new Set<string>();

  reject(key: string): void {
    this.rejected.add(key);
  }

  /** The 401 to answer, or undefined when the key is accepted. */
  check(authorization: string | undefined): HttpError | undefined {
    const key = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (key && key.startsWith('sk-') && !key.startsWith('sk-invalid') && !this.rejected.has(key)) return undefined;
    return invalidApiKey(key);
  }

  reset(): void {
    this.rejected.clear();
  }
}

export function faultError(fault: Exclude<RequestFault, { kind: 'hang' | 'drop' }>): HttpError {
  switch (fault.kind) {
    case 'invalid_api_key':
      return invalidApiKey('sk-revoked-key');
    case 'rate_limit': {
      const retryAfter = String(fault.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS);
      return new HttpError(
        429,
        {
          message: `Rate limit reached for requests. Please try again in ${retryAfter}s.`,
          type: 'requests',
          param: null,
          code: 'rate_limit_exceeded',
        },
        { 'retry-after': retryAfter },
      );
    }
    case 'insufficient_quota':
      return new HttpError(429, {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      });
    case 'server_error':
      return new HttpError(500, {
        message: SERVER_ERROR_MESSAGE,
        type: 'server_error',
        param: null,
        code: null,
      });
    case 'http_error':
      return new HttpError(
        fault.status,
        {
          message: fault.error?.message ?? `Scripted error ${fault.status}`,
          type: fault.error?.type ?? 'invalid_request_error',
          param: fault.error?.param ?? null,
          code: fault.error?.code ?? null,
        },
        fault.headers,
      );
  }
}

/** Answers (or pointedly does not answer) a request with a request-level fault. */
export function applyRequestFault(res: ServerResponse, fault: RequestFault, closeByFake: () => void): void {
  if (fault.kind === 'hang') return;
  if (fault.kind === 'drop') {
    closeByFake();
    res.socket?.destroy();
    return;
  }
  sendError(res, faultError(fault));
}
