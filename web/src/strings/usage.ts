// User-facing words of the usage part of the client (see index.ts).
export const usage = {} as const;
