// User-facing words of the composer part of the client (see index.ts).
export const composer = {} as const;
