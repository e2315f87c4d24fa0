// User-facing words of the shortcuts part of the client (see index.ts).
export const shortcuts = {
  title: 'Keyboard shortcuts',
  close: 'Close',
  help: 'Show keyboard shortcuts',
  list: [
    { keys: ['Ctrl', 'Shift', 'O'], action: 'New conversation' },
    { keys: ['Shift', 'Esc'], action: 'Focus the message box' },
    { keys: ['Ctrl', 'K'], action: 'Search conversations' },
    { keys: ['Ctrl', 'Shift', 'S'], action: 'Show or hide the conversation list' },
    { keys: ['Esc'], action: 'Stop the reply being written' },
    { keys: ['?'], action: 'Show these shortcuts (also Ctrl + /)' },
  ],
  note: 'On a Mac, ⌘ works in place of Ctrl. ? works outside text fields.',
} as const;
