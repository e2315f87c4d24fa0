// Unit tests for the web client's error advice, held against the server's error codes (pure logic, no browser).
import { ERROR_STATUS } from '../../src/common/errors/domain-error.js';
import { ERROR_ADVICE, SERVER_MESSAGE_CODES, adviceFor } from '../../web/src/lib/error-advice.js';

/** Every code the server answers with, in an error envelope or an SSE `error` event. */
const SERVER_CODES = Object.keys(ERROR_STATUS);
/** Made up by the client: no answer reached it, or a reply stream broke off. */
const CLIENT_CODES = ['network_error', 'stream_interrupted'];
/** Nothing is left for the user to do about these; the message alone says it. */
const NOTHING_TO_DO = ['no_run_in_progress', 'cross_site_request', 'forbidden'];

const EXPLAINED = [...Object.keys(ERROR_ADVICE), ...SERVER_MESSAGE_CODES];

describe('error advice', () => {
  it('covers every code the server sends', () => {
    expect(SERVER_CODES.filter((code) => !EXPLAINED.includes(code))).toEqual([]);
  });

  it('covers no code that nobody sends', () => {
    expect(EXPLAINED.filter((code) => !SERVER_CODES.includes(code) && !CLIENT_CODES.includes(code))).toEqual([]);
  });

  it('shows either the server’s message or its own for a code, never both', () => {
    expect([...SERVER_MESSAGE_CODES].filter((code) => code in ERROR_ADVICE)).toEqual([]);
  });

  it('says what to do next with each message of its own', () => {
    const withoutAction = Object.entries(ERROR_ADVICE)
      .filter(([code, advice]) => advice.message !== undefined && !advice.action && !NOTHING_TO_DO.includes(code))
      .map(([code]) => code);
    expect(withoutAction).toEqual([]);
  });

  it('shows the server’s message where that is the more specific one, and its own otherwise', () => {
    expect(adviceFor('validation_failed', 'name must not be empty')).toEqual({ message: 'name must not be empty.' });
    expect(adviceFor('rate_limited', 'Too many sign-in attempts; wait a moment', 30)).toEqual({
      message: 'Too many sign-in attempts; wait a moment.',
      retryAfterSeconds: 30,
    });
    expect(adviceFor('reply_incomplete', 'The reply was cut short (max_output_tokens)')).toEqual({
      message: ERROR_ADVICE.reply_incomplete.message,
      action: ERROR_ADVICE.reply_incomplete.action,
    });
    expect(adviceFor('some_future_code', 'Something new went wrong')).toEqual({ message: 'Something new went wrong.' });
  });

  it('links each fix to the section of the screen where it is made', () => {
    const linkOf = (code: string) => ERROR_ADVICE[code]?.link?.href;
    for (const code of ['api_key_missing', 'api_key_invalid', 'api_key_unreadable', 'shared_key_policy', 'upstream_error']) {
      expect([code, linkOf(code)]).toEqual([code, '/settings#api-key']);
    }
    expect(linkOf('password_change_required')).toBe('/settings#password');
    expect(linkOf('no_assistant')).toBe('/settings#default-assistant');
    expect(linkOf('assistant_inactive')).toBe('/assistants');
  });
});
