import { CITE_MARK, citationMarkers, citedDocuments } from '../../web/src/lib/citation-markers.js';

const mark = (number: number) => `${CITE_MARK}${number}${CITE_MARK}`;

describe('citation markers of a reply', () => {
  const citations = [
    { fileId: 'b', filename: 'b.txt', index: 20 },
    { fileId: 'a', filename: 'a.txt', index: 4 },
    { fileId: 'b', filename: 'b.txt', index: 30 },
  ];

  it('numbers each document once, in order of its first citation', () => {
    expect(citedDocuments(citations).map((citation) => citation.fileId)).toEqual(['a', 'b']);
  });

  it('puts each mark at the end of the cited word, so Markdown around it stays whole', () => {
    const text = 'The **harbour** log lists two ships and a lamp.';
    const cited = citationMarkers(text, citations, 'm1');
    expect(cited).toMatchObject({ count: 2, names: ['a.txt', 'b.txt'], anchor: 'm1' });
    expect(cited.text).toBe(`The **harbour**${mark(1)} log lists${mark(2)} two ships${mark(2)} and a lamp.`);
  });

  it('leaves a text without citations alone, and keeps a mark past the end at the end', () => {
    expect(citationMarkers('Plain.', [], 'm2')).toMatchObject({ text: 'Plain.', count: 0 });
    expect(citationMarkers('Short', [{ fileId: 'a', filename: 'a.txt', index: 99 }], 'm3').text).toBe(`Short${mark(1)}`);
  });
});
