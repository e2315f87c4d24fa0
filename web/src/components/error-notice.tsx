// The one notice of the client: errors with what to do about them, and short
// confirmations that go away by themselves.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/http';
import { describeError, onlyFieldErrors } from '../lib/error-messages';
import { formatWait } from '../lib/format';
import { Link, usePath } from '../router';
import { common } from '../strings/common';
import { format } from '../strings/index';
import { useCountdown } from './hooks';

/** How long a confirmation stays before it goes away by itself. */
export const STATUS_NOTICE_MS = 6_000;

interface Props {
  error: unknown;
  /** Shown before the explanation, e.g. "Could not save the assistant." */
  context?: string;
  /** Fields the form shows errors next to: a validation error about only these just points at them. */
  fields?: readonly string[];
}

/** An error with what to do about it; announced to screen readers as it appears. */
export function ErrorNotice({ error, context, fields = [] }: Props) {
  const path = usePath();
  // A lost session is handled by the sign-in dialog; once signed in again, the notice would only mislead.
  const sessionLost = error instanceof ApiError && error.code === 'not_authenticated';
  const described = error && !sessionLost ? describeError(error) : undefined;
  const advice = described && onlyFieldErrors(error, fields) ? { message: common.checkFields } : described;
  const waitLeft = useCountdown(advice?.retryAfterSeconds);
  // A link to the screen the person is on would lead nowhere.
  const link = advice?.link && advice.link.href.split('#')[0] !== path ? advice.link : undefined;
  return (
    <div role="alert" class="notice-region">
      {advice && (
        <div class="notice notice-error">
          <p>
            {context && <strong>{context} </strong>}
            {advice.message}
            {advice.action && ` ${advice.action}`}
          </p>
          {advice.retryAfterSeconds !== undefined && (
            <p class="notice-wait">{waitLeft > 0 ? format(common.tryAgainIn, { wait: formatWait(waitLeft) }) : common.tryAgainNow}</p>
          )}
          {link && (
            <p>
              <Link href={link.href}>{link.label}</Link>
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/**
 * A short confirmation ("Saved") announced politely; it goes away after a few
 * seconds or when closed. `persistent`: work in progress ("Uploading…") that
 * stays until it is replaced.
 */
export function StatusNotice({ message, persistent = false }: { message: string | null | undefined; persistent?: boolean }) {
  const [shown, setShown] = useState(message);
  useEffect(() => {
    setShown(message);
    if (!message || persistent) return;
    const timer = window.setTimeout(() => setShown(null), STATUS_NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [message, persistent]);
  return (
    <div role="status" aria-live="polite" class="notice-region">
      {shown && (
        <p class="notice notice-ok notice-dismissible">
          <span>{shown}</span>
          <button type="button" class="notice-close" aria-label={common.dismissNotice} onClick={() => setShown(null)}>
            ×
          </button>
        </p>
      )}
    </div>
  );
}
