// User-facing words of the shortcuts part of the client (see index.ts).
export const shortcuts = {} as const;
