// The one place the client talks HTTP: JSON in and out, the platform's error
// envelope turned into ApiError, and a 401 reported to whoever shows sign-in.

export interface ErrorDetail {
  field?: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** From Retry-After, when the server sent one. */
    readonly retryAfterSeconds?: number,
    /** Fields of the envelope besides error, code and details (such as the limit a request ran into). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = (error: ApiError) => void;
let unauthorizedListener: Listener | undefined;

/** Called when a request fails because the session is gone (expired or signed out elsewhere). */
export function onSessionExpired(listener: Listener | undefined): void {
  unauthorizedListener = listener;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as multipart/form-data. */
  form?: FormData;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Sign-in and the first "who am I" expect a 401 and handle it themselves. */
  ignoreUnauthorized?: boolean;
}

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function retryAfterOf(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Reads the error envelope `{error, code, details}` (or makes one up for a bare status). */
export async function errorFrom(response: Response): Promise<ApiError> {
  let body: { error?: unknown; code?: unknown; details?: unknown; [extra: string]: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status still says enough.
  }
  const message = typeof body.error === 'string' ? body.error : `The server answered ${response.status}`;
  const code = typeof body.code === 'string' ? body.code : `http_${response.status}`;
  const details = Array.isArray(body.details) ? (body.details as ErrorDetail[]) : [];
  const { error: _error, code: _code, details: _details, ...extra } = typeof body === 'object' && body !== null ? body : {};
  return new ApiError(response.status, code, message, details, retryAfterOf(response.headers), extra);
}

function networkError(): ApiError {
  return new ApiError(0, 'network_error', 'The server could not be reached');
}

/** Sends a request and returns the raw response when it succeeded; throws ApiError otherwise. */
export async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.form) {
    body = options.form;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw networkError();
  }
  if (response.ok) return response;
  const error = await errorFrom(response);
  if (response.status === 401 && !options.ignoreUnauthorized) unauthorizedListener?.(error);
  throw error;
}

export async function requestJson<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export interface Page<T> {
  items: T[];
  /** From X-Total-Count. */
  total: number;
}

export async function requestPage<T>(path: string, options?: RequestOptions): Promise<Page<T>> {
  const response = await send('GET', path, options);
  const items = (await response.json()) as T[];
  const total = Number(response.headers.get('x-total-count') ?? items.length);
  return { items, total: Number.isFinite(total) ? total : items.length };
}
