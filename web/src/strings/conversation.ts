// User-facing words of the conversation part of the client (see index.ts).
export const conversation = {} as const;
