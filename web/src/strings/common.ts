// User-facing words shared by every part of the client (see index.ts).
export const common = {
  loading: 'Loading…',
  pleaseWait: 'Please wait…',
  cancel: 'Cancel',
  close: 'Close',
  dismissNotice: 'Dismiss this notice',
  tryAgainIn: 'You can try again in {wait}.',
  tryAgainNow: 'You can try again now.',
  checkFields: 'Some fields need a change: see the notes next to them.',
  budgetToday: 'Budget today',
  budgetThisMonth: 'Budget this month',
  paidByOwn: 'Paid by your own OpenAI key.',
  paidByShared: 'Paid by the shared key of this service.',
  renews: 'Renews {when}.',
  budgetWarning: 'More than {percent}% of your budget is used.',
  tokens: 'Tokens',
  cost: 'Cost',
  figureUsed: '{used} used',
  noLimit: '(no limit)',
  figureLeft: '{left} left',
  figureOf: 'of {limit} ({used} used)',
  figureUsedLabel: '{label} used',
} as const;

/**
 * Friendlier words for the server's validation messages, by field and by
 * what the message says; the first match wins.
 */
export const fieldMessages: ReadonlyArray<{ field: string; pattern: RegExp; text: string }> = [
  { field: 'email', pattern: /e-?mail/i, text: 'Enter an email address like name@example.org.' },
  { field: 'password', pattern: /at least/i, text: 'Use at least 8 characters for the password.' },
  { field: 'password', pattern: /at most/i, text: 'That password is too long.' },
  { field: 'password', pattern: /.*/, text: 'Enter your password.' },
  { field: 'newPassword', pattern: /at least/i, text: 'Use at least 8 characters for the new password.' },
  { field: 'newPassword', pattern: /at most/i, text: 'That password is too long.' },
  { field: 'apiKey', pattern: /short/i, text: 'That key is too short: an OpenAI key is a long text starting with sk-.' },
  { field: 'apiKey', pattern: /spaces|unusual/i, text: 'A key has no spaces or unusual characters: paste it again, without anything around it.' },
  { field: 'inviteToken', pattern: /.*/, text: 'This invite link is not complete: open it again from the message you got.' },
];
