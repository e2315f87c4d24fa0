import { upstreamName } from './upstream-names.js';

describe('upstreamName', () => {
  it('ends the name with the extension of the content', () => {
    expect(upstreamName({ filename: 'report', mimeType: 'application/pdf' })).toBe('report.pdf');
    expect(upstreamName({ filename: 'report.txt', mimeType: 'application/pdf' })).toBe('report.txt.pdf');
    expect(upstreamName({ filename: 'letter', mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })).toBe('letter.docx');
    expect(upstreamName({ filename: 'deck', mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation' })).toBe('deck.pptx');
    expect(upstreamName({ filename: 'page', mimeType: 'text/html' })).toBe('page.html');
  });

  it('keeps a name that already ends with it, whatever its case', () => {
    expect(upstreamName({ filename: 'Report.PDF', mimeType: 'application/pdf' })).toBe('Report.PDF');
    expect(upstreamName({ filename: 'notes.md', mimeType: 'text/markdown' })).toBe('notes.md');
    expect(upstreamName({ filename: 'data.json', mimeType: 'application/json' })).toBe('data.json');
  });

  it('sends as text what file_search does not read by its own extension', () => {
    expect(upstreamName({ filename: 'README', mimeType: 'text/plain' })).toBe('README.txt');
    expect(upstreamName({ filename: 'table.csv', mimeType: 'text/csv' })).toBe('table.csv.txt');
    expect(upstreamName({ filename: 'broken.json', mimeType: 'text/plain' })).toBe('broken.json.txt');
    expect(upstreamName({ filename: 'page.htm', mimeType: 'text/html' })).toBe('page.htm.txt');
  });
});
