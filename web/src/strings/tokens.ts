// User-facing words of the tokens part of the client (see index.ts).
export const tokens = {} as const;
