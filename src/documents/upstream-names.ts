import { contentExtension } from '../files/content-type.js';

/** OpenAI's file_search reads these by extension; other text is sent as .txt. */
const SEARCHABLE_EXTENSIONS = new Set([
  '.c', '.cpp', '.cs', '.css', '.doc', '.docx', '.go', '.html', '.java', '.js', '.json', '.md', '.pdf', '.php',
  '.pptx', '.py', '.rb', '.sh', '.tex', '.ts', '.txt',
]);

/**
 * The name a document's copy gets in OpenAI Files, which types files by
 * their extension: the file's own name when it ends with the extension of
 * its content (as detected when it was uploaded), else that extension added
 * (a PDF uploaded as `report` goes as `report.pdf`). Content that
 * file_search does not read by its own extension goes as text (`.txt`).
 */
export function upstreamName(file: { filename: string; mimeType: string }): string {
  const detected = contentExtension(file.filename, file.mimeType);
  const extension = SEARCHABLE_EXTENSIONS.has(detected) ? detected : '.txt';
  return file.filename.toLowerCase().endsWith(extension) ? file.filename : `${file.filename}${extension}`;
}
