// Citations a reply makes of the documents it searched: a numbered mark at
// each cited place of the text (one number per document, in order of first
// citation), turned into links to the sources once the text is rendered.

/** Brackets a citation number in the text (a private-use character: no Markdown meaning, never typed). */
export const CITE_MARK = '\uE000';

export interface CitedText {
  /** The text with the marks in it. */
  text: string;
  /** Number of documents cited; `names[n - 1]` is the document numbered n. */
  count: number;
  names: string[];
  anchor: string;
}

interface Citation {
  fileId: string;
  filename: string;
  index: number;
}

/** The documents cited, each once, in order of first citation (the numbers of the marks). */
export function citedDocuments(citations: readonly Citation[]): Citation[] {
  const firsts = [...citations].sort((a, b) => a.index - b.index);
  return firsts.filter((citation, position) => firsts.findIndex((other) => other.fileId === citation.fileId) === position);
}

/** The end of the word at `index` (a mark inside a word or its Markdown, e.g. **bold**, would break it). */
function wordEnd(text: string, index: number): number {
  let at = index;
  while (at < text.length && !/\s/.test(text[at])) at++;
  return at;
}

export function citationMarkers(text: string, citations: readonly Citation[], anchor: string): CitedText {
  const documents = citedDocuments(citations);
  const numberOf = new Map(documents.map((document, position) => [document.fileId, position + 1]));
  const places = new Map<number, Set<number>>();
  for (const citation of citations) {
    const at = wordEnd(text, Math.max(0, Math.min(text.length, citation.index)));
    places.set(at, (places.get(at) ?? new Set()).add(numberOf.get(citation.fileId)!));
  }
  let marked = text;
  for (const at of [...places.keys()].sort((a, b) => b - a)) {
    const marks = [...places.get(at)!].sort((a, b) => a - b).map((number) => `${CITE_MARK}${number}${CITE_MARK}`);
    marked = marked.slice(0, at) + marks.join('') + marked.slice(at);
  }
  return { text: marked, count: documents.length, names: documents.map((document) => document.filename), anchor };
}
