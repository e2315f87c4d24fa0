// User-facing words of the assistants part of the client (see index.ts).
export const assistants = {} as const;
