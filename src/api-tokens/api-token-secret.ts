import { createHash, randomBytes } from 'node:crypto';

const TOKEN_PREFIX = 'ap_';
const TOKEN_BYTES = 32;
/** 'ap_' and 43 base64url characters: 32 random bytes. */
const TOKEN_FORM = /^ap_[A-Za-z0-9_-]{43}$/;
/** Characters of the token kept to recognise it in lists ('ap_' and six more). */
const SHOWN_CHARS = 9;

export function newApiToken(): string {
  return TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
}

/** True for a string of the form a token has; anything else is refused without a lookup. */
export function hasTokenForm(token: string): boolean {
  return TOKEN_FORM.test(token);
}

/** What is stored of a token: its SHA-256 (32 random bytes need no salt or slow hash). */
export function apiTokenHash(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/** The start of the token that lists show, to tell tokens apart. */
export function apiTokenPrefix(token: string): string {
  return token.slice(0, SHOWN_CHARS);
}
