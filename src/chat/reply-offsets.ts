/**
 * Offsets into a reply's text, counted in characters (Unicode code points,
 * as PostgreSQL counts them), so that an event id given on one instance
 * points at the same place in the stored text on another.
 */

/** Characters in the text (a surrogate pair counts once). */
export function charCount(text: string): number {
  let pairs = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) pairs++;
  }
  return text.length - pairs;
}

/** The text after its first `chars` characters. */
export function afterChars(text: string, chars: number): string {
  if (chars <= 0) return text;
  let seen = 0;
  let index = 0;
  while (index < text.length && seen < chars) {
    const unit = text.charCodeAt(index);
    index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1;
    seen++;
  }
  return text.slice(index);
}

/** A Last-Event-ID header as an offset: undefined when absent, null when it is not one. */
export function parseLastEventId(header: string | string[] | undefined, max: number): number | undefined | null {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  if (!/^\d{1,12}$/.test(value.trim())) return null;
  const offset = Number(value.trim());
  return offset <= max ? offset : null;
}
