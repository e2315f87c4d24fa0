import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { hasNavigatedInApp } from '../router';

/**
 * The screen's <h1>. It takes focus when the user moves to the screen, so
 * keyboard and screen reader users start at the new content.
 */
export function ScreenHeading({ children, focusKey }: { children: ComponentChildren; focusKey?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigatedInApp()) ref.current?.focus({ preventScroll: true });
  }, [focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1} class="screen-heading">
      {children}
    </h1>
  );
}
