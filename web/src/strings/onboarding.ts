// User-facing words of the onboarding part of the client (see index.ts).
export const onboarding = {} as const;
