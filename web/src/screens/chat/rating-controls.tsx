// Rating a reply up or down, with an optional comment once rated.
import { useState } from 'preact/hooks';
import { conversation, type Feedback } from '../../api/conversation';
import type { Message } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { strings } from '../../strings';

const words = strings.conversation;

/** A thumb (up; turned over for down): drawn, as emoji fonts are not everywhere. */
function Thumb({ down }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="15" height="15" aria-hidden="true" class={down ? 'thumb-down' : undefined}>
      <path
        fill="none"
        stroke="currentColor"
        stroke-width="1.8"
        stroke-linejoin="round"
        d="M7 10v10H3V10h4zm0 0 4-7c1.5 0 2.5 1 2.3 2.6L12.8 9H19a2 2 0 0 1 2 2.3l-1.2 7A2 2 0 0 1 17.8 20H7"
      />
    </svg>
  );
}

export function RatingControls({ message, onRated }: { message: Message; onRated(message: Message): void }) {
  const rating = message.feedback?.rating;
  const [comment, setComment] = useState(message.feedback?.comment ?? '');
  const [commenting, setCommenting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const rate = async (next: Feedback['rating'] | null, withComment = '') => {
    setError(null);
    try {
      if (next === null) {
        await conversation.clearRating(message.id);
        onRated({ ...message, feedback: null });
        setCommenting(false);
        return;
      }
      onRated({ ...message, feedback: await conversation.rate(message.id, next, withComment) });
      setCommenting(withComment === '');
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <>
      <button type="button" class="action-button rating" aria-label={words.rateUp} aria-pressed={rating === 'up'} onClick={() => void rate(rating === 'up' ? null : 'up')}>
        <Thumb />
      </button>
      <button type="button" class="action-button rating" aria-label={words.rateDown} aria-pressed={rating === 'down'} onClick={() => void rate(rating === 'down' ? null : 'down')}>
        <Thumb down />
      </button>
      {commenting && rating && (
        <form
          class="rating-comment"
          onSubmit={(event) => {
            event.preventDefault();
            void rate(rating, comment.trim());
          }}
        >
          <input
            aria-label={words.ratingCommentLabel}
            placeholder={words.ratingComment}
            value={comment}
            onInput={(event) => setComment(event.currentTarget.value)}
          />
          <button type="submit" class="action-button">
            {words.saveComment}
          </button>
        </form>
      )}
      <ErrorNotice error={error} context={words.ratingFailed} />
    </>
  );
}
