import { afterChars, charCount, parseLastEventId } from './reply-offsets.js';

describe('reply offsets', () => {
  it('counts characters as PostgreSQL does, a surrogate pair once', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('abc')).toBe(3);
    expect(charCount('a😀b')).toBe(3);
    expect(charCount('é中')).toBe(2);
  });

  it('cuts after a number of characters without splitting a pair', () => {
    expect(afterChars('a😀b', 0)).toBe('a😀b');
    expect(afterChars('a😀b', 1)).toBe('😀b');
    expect(afterChars('a😀b', 2)).toBe('b');
    expect(afterChars('a😀b', 3)).toBe('');
    expect(afterChars('a😀b', 9)).toBe('');
  });

  it('reads a Last-Event-ID header as an offset, refusing anything else', () => {
    expect(parseLastEventId(undefined, 100)).toBeUndefined();
    expect(parseLastEventId('42', 100)).toBe(42);
    expect(parseLastEventId(' 7 ', 100)).toBe(7);
    expect(parseLastEventId('101', 100)).toBeNull();
    expect(parseLastEventId('-1', 100)).toBeNull();
    expect(parseLastEventId('1e3', 100)).toBeNull();
    expect(parseLastEventId('x', 100)).toBeNull();
  });
});
