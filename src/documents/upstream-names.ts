/** OpenAI's file_search reads these by extension; other text is sent as .txt. */
const SEARCHABLE_EXTENSIONS = new Set([
  '.c', '.cpp', '.cs', '.css', '.doc', '.docx', '.go', '.html', '.java', '.js', '.json', '.md', '.pdf', '.php',
  '.pptx', '.py', '.rb', '.sh', '.tex', '.ts', '.txt',
]);

/** The name a document's copy gets in OpenAI Files, which types files by their extension. */
export function upstreamName(file: { filename: string; mimeType: string }): string {
  const dot = file.filename.lastIndexOf('.');
  const extension = dot > 0 ? file.filename.slice(dot).toLowerCase() : '';
  return SEARCHABLE_EXTENSIONS.has(extension) ? file.filename : `${file.filename}.txt`;
}
