/** What may be shown of a key: its family prefix and last four characters. */
export function apiKeyHint(apiKey: string): string {
  return `${apiKey.slice(0, 3)}…${apiKey.slice(-4)}`;
}
