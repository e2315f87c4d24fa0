/**
 * Under Jest's VM modules, `fetch` (undici) rejects with errors from Node's own realm: inside the
 * test realm they are not `instanceof Error` (DOMException never is). openai-node's `castToError`
 * then flattens an AbortError to `Error("{}")`, so a timeout surfaces as APIConnectionError instead
 * of APIConnectionTimeoutError. Given as the SDK's `fetch`, this rethrows them as test-realm errors,
 * so the SDK classifies them as it does in production. Errors while reading a body (a cut stream's
 * `TypeError: terminated`) do not pass through here and stay foreign.
 */
export const sameRealmFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (error) {
    throw toTestRealmError(error);
  }
};

function toTestRealmError(error: unknown): unknown {
  if (error instanceof Error || typeof error !== 'object' || error === null) return error;
  const foreign = error as { name?: string; message?: string; cause?: unknown; stack?: string };
  const cause = foreign.cause === undefined ? undefined : toTestRealmError(foreign.cause);
  const copy = new Error(foreign.message, { cause });
  copy.name = foreign.name ?? 'Error';
  copy.stack = foreign.stack;
  return copy;
}
