/**
 * Log redaction: values under names that look like credentials are replaced,
 * and anything shaped like an OpenAI key is masked wherever it appears.
 */
const SENSITIVE_NAME = /pass(word)?|passwd|secret|token|authorization|cookie|credential|api[-_]?key|access[-_]?key|(^|[-_])key$|^key$/i;
const OPENAI_KEY = /\bsk-[A-Za-z0-9_-]{8,}/g;
export const REDACTED = '[redacted]';
const MAX_DEPTH = 8;

/** camelCase names ending in Key (encryptionKey, apiKey), but not words like "monkey". */
const CAMEL_CASE_KEY = /[a-z0-9]Key$/;

export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name) || CAMEL_CASE_KEY.test(name);
}

export function scrubText(text: string): string {
  return text.replace(OPENAI_KEY, 'sk-[redacted]');
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message) };
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const result: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
    result[name] = isSensitiveName(name) && item !== undefined && item !== null ? REDACTED : redact(item, depth + 1);
  }
  return result;
}
