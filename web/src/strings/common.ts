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
  { field: 'password', pattern: /short|least|minLength/i, text: 'Use at least 8 characters for the password.' },
  { field: 'password', pattern: /long|most|maxLength/i, text: 'That password is too long.' },
  { field: 'password', pattern: /.*/, text: 'Enter your password.' },
  { field: 'newPassword', pattern: /short|least/i, text: 'Use at least 8 characters for the new password.' },
  { field: 'apiKey', pattern: /short/i, text: 'That key is too short: an OpenAI key is a long text starting with sk-.' },
  { field: 'apiKey', pattern: /.*/, text: 'That does not look like an OpenAI key (it starts with sk-).' },
  { field: 'name', pattern: /long|most/i, text: 'That name is too long.' },
  { field: 'name', pattern: /empty/i, text: 'Enter a name.' },
];
