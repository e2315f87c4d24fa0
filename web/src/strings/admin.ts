// User-facing words of the admin part of the client (see index.ts).
export const admin = {} as const;
