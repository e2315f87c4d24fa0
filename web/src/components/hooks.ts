// Small hooks shared by the screens.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { loadDraft, saveDraft } from '../lib/drafts';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): Promise<void>;
  /** Replaces the data locally (after a change the server confirmed). */
  setData(update: T | ((previous: T | undefined) => T)): void;
}

/** Loads data when the inputs change; keeps the previous data while reloading. */
export function useLoader<T>(load: () => Promise<T>, inputs: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  // `load` is a new closure on every render; `inputs` say when it really changed.
  const run = useCallback(load, inputs);

  const reload = useCallback(async () => {
    const current = ++generation.current;
    setLoading(true);
    try {
      const result = await run();
      if (current !== generation.current) return;
      setData(() => result);
      setError(null);
    } catch (caught) {
      if (current === generation.current) setError(caught);
    } finally {
      if (current === generation.current) setLoading(false);
    }
  }, [run]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, error, loading, reload, setData };
}

/** A text value kept as a draft (see lib/drafts): restored after a sign-in or a reload. */
export function useDraft(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => loadDraft(key));
  const keyRef = useRef(key);
  useEffect(() => {
    if (keyRef.current !== key) {
      keyRef.current = key;
      setValue(loadDraft(key));
    }
  }, [key]);
  const update = useCallback(
    (next: string) => {
      setValue(next);
      saveDraft(key, next);
    },
    [key],
  );
  return [value, update];
}

/** Seconds left until `seconds` from when it was set; 0 once over. */
export function useCountdown(seconds: number | undefined): number {
  const [left, setLeft] = useState(seconds ?? 0);
  useEffect(() => {
    if (!seconds) {
      setLeft(0);
      return;
    }
    const until = Date.now() + seconds * 1000;
    setLeft(seconds);
    const timer = window.setInterval(() => {
      const remaining = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      setLeft(remaining);
      if (remaining === 0) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [seconds]);
  return left;
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const latest = useRef(tick);
  latest.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => latest.current(), ms);
    return () => window.clearInterval(timer);
  }, [ms, active]);
}

/** Whether the CSS media query matches, following changes (a phone turned, a window resized). */
export function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}
