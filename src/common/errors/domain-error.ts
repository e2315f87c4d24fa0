/**
 * Errors raised by services carry a machine code; the HTTP status for each
 * code lives here and is applied in one place (the exception filter).
 */
export const ERROR_STATUS = {
  validation_failed: 400,
  invalid_json: 400,
  bad_request: 400,
  body_too_complex: 400,
  api_key_missing: 400,
  api_key_invalid: 400,
  api_key_unreadable: 400,
  assistant_inactive: 400,
  no_assistant: 400,
  import_root_not_configured: 400,
  input_too_long: 400,
  upstream_bad_request: 400,
  not_a_reply: 400,
  not_authenticated: 401,
  budget_exceeded: 402,
  invalid_credentials: 401,
  invalid_api_token: 401,
  forbidden: 403,
  account_disabled: 403,
  password_change_required: 403,
  signup_closed: 403,
  invite_required: 403,
  domain_not_allowed: 403,
  cross_site_request: 403,
  shared_key_policy: 403,
  session_required: 403,
  insufficient_scope: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  last_admin: 409,
  target_is_admin: 409,
  invite_limit_reached: 409,
  email_taken: 409,
  run_in_progress: 409,
  nothing_to_regenerate: 409,
  no_run_in_progress: 409,
  share_limit_reached: 409,
  api_token_limit_reached: 409,
  vector_store_limit_reached: 409,
  assistant_limit_reached: 409,
  vector_store_file_limit_reached: 409,
  request_timeout: 408,
  payload_too_large: 413,
  too_many_files: 413,
  storage_quota_exceeded: 413,
  file_count_exceeded: 413,
  attachments_too_large: 413,
  share_too_large: 413,
  unsupported_media_type: 415,
  too_many_images: 422,
  too_many_versions: 422,
  thread_too_large: 422,
  unknown_model: 422,
  headers_too_large: 431,
  rate_limited: 429,
  upstream_rate_limited: 429,
  upstream_quota_exceeded: 429,
  internal_error: 500,
  upstream_error: 502,
  reply_incomplete: 502,
  upstream_unavailable: 502,
  database_unavailable: 503,
  server_shutting_down: 503,
  server_busy: 503,
  upstream_timeout: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field?: string;
  message: string;
  [extra: string]: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds a client should wait before trying again (sent as Retry-After). */
    readonly retryAfterSeconds?: number,
    /** Fields the envelope carries besides error, code and details (such as the limit a request ran into). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function notFound(what: string): DomainError {
  return new DomainError('not_found', `${what} not found`);
}

export function validationFailed(field: string, message: string): DomainError {
  return new DomainError('validation_failed', message, [{ field, message }]);
}
