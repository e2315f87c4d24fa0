// User-facing words of the threads part of the client (see index.ts).
export const threads = {} as const;
