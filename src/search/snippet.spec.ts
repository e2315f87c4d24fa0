import { HIGHLIGHT_START as S, HIGHLIGHT_STOP as E } from './search.repository.js';
import { snippetParts } from './search.service.js';

describe('snippetParts', () => {
  it('splits a headline into plain and highlighted parts, the marks taken out', () => {
    expect(snippetParts(`the ${S}quick${E} brown ${S}fox${E}`)).toEqual([
      { text: 'the ', highlight: false },
      { text: 'quick', highlight: true },
      { text: ' brown ', highlight: false },
      { text: 'fox', highlight: true },
    ]);
    expect(snippetParts(`${S}fox${E}${S}es${E}`)).toEqual([{ text: 'foxes', highlight: true }]);
    expect(snippetParts('no match at all')).toEqual([{ text: 'no match at all', highlight: false }]);
    expect(snippetParts('')).toEqual([]);
  });

  it('never lets a stray mark through, and bounds the text', () => {
    const parts = snippetParts(`a${E} b ${S}c ${S}d${E}`);
    expect(parts.map((part) => part.text).join('')).toBe('a b c d');
    const long = snippetParts(`${'x'.repeat(500)} ${S}${'y'.repeat(500)}${E} z`, 600);
    expect(long.map((part) => part.text.length)).toEqual([501, 99]);
    expect(long[1].highlight).toBe(true);
  });
});
