// User-facing words of the auth part of the client (see index.ts).
export const auth = {} as const;
