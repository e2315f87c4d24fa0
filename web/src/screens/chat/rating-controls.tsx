// Rating a reply up or down, with an optional comment once rated.
import { useState } from 'preact/hooks';
import { conversation, type Feedback } from '../../api/conversation';
import type { Message } from '../../api/types';
import { ErrorNotice } from '../../components/error-notice';
import { strings } from '../../strings';

const words = strings.conversation;

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
        👍
      </button>
      <button type="button" class="action-button rating" aria-label={words.rateDown} aria-pressed={rating === 'down'} onClick={() => void rate(rating === 'down' ? null : 'down')}>
        👎
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
