import { ApiError } from '../api/http';
import { describeError } from '../lib/error-messages';
import { formatWait } from '../lib/format';
import { Link } from '../router';
import { useCountdown } from './hooks';

interface Props {
  error: unknown;
  /** Shown before the explanation, e.g. "Could not save the assistant." */
  context?: string;
}

/** An error with what to do about it; announced to screen readers as it appears. */
export function ErrorNotice({ error, context }: Props) {
  // A lost session is handled by the sign-in dialog; once signed in again, the notice would only mislead.
  const sessionLost = error instanceof ApiError && error.code === 'not_authenticated';
  const advice = error && !sessionLost ? describeError(error) : undefined;
  const waitLeft = useCountdown(advice?.retryAfterSeconds);
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
            <p class="notice-wait">
              {waitLeft > 0 ? `You can try again in ${formatWait(waitLeft)}.` : 'You can try again now.'}
            </p>
          )}
          {advice.link && (
            <p>
              <Link href={advice.link.href}>{advice.link.label}</Link>
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** A short confirmation ("Saved") announced politely. */
export function StatusNotice({ message }: { message: string | null | undefined }) {
  return (
    <div role="status" aria-live="polite" class="notice-region">
      {message && <p class="notice notice-ok">{message}</p>}
    </div>
  );
}
