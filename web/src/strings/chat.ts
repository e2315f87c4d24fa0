// User-facing words of the chat part of the client (see index.ts).
export const chat = {} as const;
