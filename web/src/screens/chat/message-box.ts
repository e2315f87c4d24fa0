// The chat's message box, for the skip link and the shortcuts (it belongs to the composer).

export function focusMessageBox(): boolean {
  const box = document.querySelector<HTMLTextAreaElement>('.composer textarea');
  box?.focus();
  return box !== null;
}
