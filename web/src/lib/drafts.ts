// What the user typed, kept in sessionStorage (this tab only, gone when it
// closes) so a sign-in in between, or a reload, does not lose it. Never used
// for secrets: passwords and API keys stay in component state only.

const PREFIX = 'draft:';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function loadDraft(key: string): string {
  return storage()?.getItem(PREFIX + key) ?? '';
}

export function saveDraft(key: string, value: string): void {
  const store = storage();
  if (!store) return;
  try {
    if (value) store.setItem(PREFIX + key, value);
    else store.removeItem(PREFIX + key);
  } catch {
    // Storage full or refused: the draft lives in memory only.
  }
}

/** On sign-out and account deletion: nothing typed stays behind. */
export function clearDrafts(): void {
  const store = storage();
  if (!store) return;
  for (const key of Object.keys(store)) {
    if (key.startsWith(PREFIX)) store.removeItem(key);
  }
}
