// What each error code means to a person, and what they can do about it.
// Plain data with no imports, so that the unit tests can load it beside the
// server's code and hold the table against the server's list of codes.

export interface ErrorAdvice {
  /** What went wrong, in plain words. */
  message: string;
  /** What to do next. */
  action?: string;
  /** Where the fix is, when it is in the client. */
  link?: { href: string; label: string };
  /** Seconds to wait before trying again (from Retry-After). */
  retryAfterSeconds?: number;
}

/** Without a message of its own, the server's (more specific) message is shown. */
type Advice = Omit<ErrorAdvice, 'retryAfterSeconds' | 'message'> & { message?: string };

/** Straight to the API key on the settings screen. */
const API_KEY_LINK = { href: '/settings#api-key', label: 'Open settings' };
/** The account's password, on the settings screen. */
const PASSWORD_LINK = { href: '/settings#password', label: 'Open settings' };
/** The default assistant, on the settings screen. */
const DEFAULT_ASSISTANT_LINK = { href: '/settings#default-assistant', label: 'Open settings' };
const ASSISTANTS_LINK = { href: '/assistants', label: 'Open assistants' };

/**
 * Advice for every code the server sends (but those in SERVER_MESSAGE_CODES),
 * and for the ones the client makes up itself (network_error, stream_interrupted).
 */
export const ERROR_ADVICE: Readonly<Record<string, Advice>> = {
  api_key_missing: {
    message: 'No OpenAI API key is saved for your account.',
    action: 'Add your key in Settings, then try again.',
    link: API_KEY_LINK,
  },
  api_key_invalid: {
    message: 'OpenAI rejected your API key.',
    action: 'Check the key (it may have been revoked) and save a valid one in Settings.',
    link: API_KEY_LINK,
  },
  api_key_unreadable: {
    message: 'Your saved OpenAI API key can no longer be read on this server.',
    action: 'Save your key again in Settings, then try again.',
    link: API_KEY_LINK,
  },
  upstream_rate_limited: {
    message: 'OpenAI is rate limiting your API key.',
    action: 'Wait a moment, then try again.',
  },
  upstream_quota_exceeded: {
    message: 'The OpenAI account behind your key has run out of quota.',
    action: "Check the account's plan and billing at OpenAI; waiting will not help.",
  },
  upstream_unavailable: {
    message: 'OpenAI could not be reached or failed to answer.',
    action: 'Try again in a moment.',
  },
  upstream_timeout: {
    message: 'OpenAI did not answer in time.',
    action: 'Try again; a shorter message or fewer attachments may help.',
  },
  upstream_error: { message: 'The call to OpenAI failed.', action: 'Try again; if it keeps failing, check your key in Settings.', link: API_KEY_LINK },
  reply_incomplete: {
    message: 'The reply was cut short before it was finished.',
    action: 'What was written is kept: press Regenerate to try again, or ask for a shorter answer.',
  },
  run_in_progress: {
    message: 'A reply is already being written in this conversation.',
    action: 'Wait for it to finish, or press Stop first.',
  },
  nothing_to_regenerate: { message: 'There is no reply to regenerate yet.', action: 'Send a message first.' },
  no_run_in_progress: { message: 'The reply had already finished.' },
  // The server says what was limited; the countdown from Retry-After says when to try again.
  rate_limited: {},
  input_too_long: { message: 'Your message is too long.', action: 'Shorten it (or split it into several messages) and send again.' },
  assistant_inactive: {
    message: 'This assistant is switched off.',
    action: 'Switch it on in Assistants, or pick another assistant.',
    link: ASSISTANTS_LINK,
  },
  no_assistant: {
    message: 'No assistant is chosen for this conversation.',
    action: 'Pick an assistant, or set a default one in Settings.',
    link: DEFAULT_ASSISTANT_LINK,
  },
  invalid_credentials: { message: 'The email or password is not right.', action: 'Check them and try again.' },
  email_taken: { message: 'An account with this email already exists.', action: 'Sign in instead, or use another email.' },
  account_disabled: { message: 'This account is disabled.', action: 'Ask an administrator to enable it.' },
  password_change_required: { message: 'You need to choose a new password first.', action: 'Change your password in Settings.', link: PASSWORD_LINK },
  signup_closed: { message: 'New accounts cannot be created here right now.', action: 'Ask an administrator for an account.' },
  invite_required: { message: 'Signing up here needs a valid invite link.', action: 'Ask an administrator for a new invite.' },
  domain_not_allowed: { message: 'Accounts here are only open to some email domains.', action: 'Sign up with your work email, or ask an administrator.' },
  last_admin: { message: 'The last administrator cannot be demoted.', action: 'Make someone else an administrator first.' },
  target_is_admin: { message: 'That cannot be done to an administrator.', action: 'Change their role to user first.' },
  invite_limit_reached: { message: 'There are as many active invites as allowed.', action: 'Revoke invites that are no longer needed, then try again.' },
  budget_exceeded: {
    message: 'Your budget for this period is used up.',
    action: 'Wait until it renews, or ask an administrator for a larger budget.',
  },
  // The server's message names the models or tools the shared key allows.
  shared_key_policy: { action: 'Choose one it allows, or save your own OpenAI key in Settings to use any.', link: API_KEY_LINK },
  not_authenticated: { message: 'Your session has ended.', action: 'Sign in again to continue.' },
  invalid_api_token: { message: 'The API token is unknown, revoked or expired.', action: 'Create a new token and use it instead.' },
  session_required: { message: 'This can only be done signed in, not with an API token.', action: 'Sign in to the web client to do it.' },
  insufficient_scope: { message: 'The API token does not allow this.', action: 'Create a token with the scope it needs (read, write or chat).' },
  assistant_limit_reached: { message: 'You have as many assistants as allowed (those in the trash count too).', action: 'Delete an assistant you no longer use, or empty it from the trash, then create the new one.' },
  api_token_limit_reached: { message: 'You have as many API tokens as allowed.', action: 'Revoke a token you no longer use, then create the new one.' },
  vector_store_limit_reached: { message: 'You have as many vector stores as allowed.', action: 'Delete a vector store you no longer use, then create the new one.' },
  vector_store_file_limit_reached: { message: 'This vector store holds as many files as allowed.', action: 'Remove files from it or put the others in another vector store.' },
  cross_site_request: { message: 'The request was refused because it came from another site.' },
  forbidden: { message: 'You are not allowed to do that.' },
  not_found: { message: 'It no longer exists (it may have been deleted).', action: 'Reload the page.' },
  method_not_allowed: {
    message: 'The server does not accept that request here.',
    action: 'Reload the page to get the current version of the client, then try again.',
  },
  request_timeout: {
    message: 'The request took too long to reach the server.',
    action: 'Check your connection and try again; for a large upload, send fewer files at a time.',
  },
  headers_too_large: {
    message: 'The request carried more header data than the server accepts.',
    action: "Clear this site's cookies, sign in again, and retry.",
  },
  import_root_not_configured: {
    message: 'Reading folders stored on the server is turned off here.',
    action: 'Upload the folder from your computer instead with "Choose a folder", or drag it in.',
  },
  payload_too_large: { message: 'That is too large to upload.', action: 'Choose a smaller file.' },
  too_many_files: { message: 'Too many files in one go.', action: 'Upload fewer files at a time.' },
  storage_quota_exceeded: { message: 'Your storage is full.', action: 'Delete files you no longer need, then try again.' },
  file_count_exceeded: { message: 'You have as many files as one account may keep.', action: 'Delete files you no longer need, then try again.' },
  // The server's message names the limit.
  too_many_images: { action: 'Send fewer images at a time, spread over several messages.' },
  // The server's message names the limit.
  too_many_versions: { action: 'Edit or regenerate one of the existing versions instead, or fork the thread from this message.' },
  thread_too_large: { action: 'Fork the thread from a recent message, or start a new thread.' },
  // The server's message names the nearest models the account offers.
  unknown_model: { action: 'Choose a model your OpenAI account offers, such as one the message names.' },
  attachments_too_large: { action: 'Attach fewer or smaller files, spread over several messages.' },
  share_too_large: { action: 'Share a shorter conversation: fork or start a new one with what you want to show.' },
  share_limit_reached: { message: 'You have as many share links as you may.', action: 'Revoke a link you no longer need, then share again.' },
  not_a_reply: { message: 'Only replies can be rated.', action: 'Rate one of the assistant’s replies instead.' },
  unsupported_media_type: {
    message: 'That kind of file is not supported.',
    action: 'Documents: PDF, Word, PowerPoint, text, Markdown, CSV, JSON, HTML or code. Images: PNG, JPEG, GIF or WebP.',
  },
  database_unavailable: { message: 'The service is briefly unavailable.', action: 'Try again in a moment.' },
  server_shutting_down: { message: 'The server is restarting.', action: 'Try again in a moment.' },
  server_busy: { message: 'The server is busy right now.', action: 'Try again in a moment.' },
  internal_error: { message: 'Something went wrong on the server.', action: 'Try again; if it keeps happening, tell the operator.' },
  network_error: { message: 'The server could not be reached.', action: 'Check your connection and try again.' },
  stream_interrupted: { message: 'The connection closed before the reply finished.', action: 'Reload the conversation, or Regenerate the reply.' },
};

/** Codes whose server message is more useful than a generic one (it names the field or the reason). */
export const SERVER_MESSAGE_CODES: ReadonlySet<string> = new Set([
  'validation_failed',
  'bad_request',
  'upstream_bad_request',
  'conflict',
  'invalid_json',
  'body_too_complex',
]);

export function adviceFor(code: string, serverMessage: string, retryAfterSeconds?: number): ErrorAdvice {
  const known = SERVER_MESSAGE_CODES.has(code) ? undefined : ERROR_ADVICE[code];
  return { ...known, message: known?.message ?? withFullStop(serverMessage), retryAfterSeconds };
}

function withFullStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
