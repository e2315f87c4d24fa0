// User-facing words of the common part of the client (see index.ts).
export const common = {} as const;
