// User-facing words of the settings part of the client (see index.ts).
export const settings = {} as const;
