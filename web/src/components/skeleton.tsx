// A placeholder in the shape of a list or a card while its data loads, so a
// screen is never blank; screen readers hear "Loading…" once.
import { common } from '../strings/common';

export function Skeleton({ lines = 4, label = common.loading }: { lines?: number; label?: string }) {
  return (
    <div class="skeleton" role="status" aria-live="polite" aria-busy="true" data-testid="skeleton">
      <span class="visually-hidden">{label}</span>
      {Array.from({ length: lines }, (_, index) => (
        <div key={index} class="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
