import mammoth from 'mammoth';

/**
 * What a Word document may inflate to, by its archive's own account, before
 * its text is extracted: a small file that would unpack to gigabytes (a
 * "zip bomb") is not opened.
 */
export const MAX_DOCUMENT_INFLATED_BYTES = 64 * 1024 * 1024;

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end-of-directory record (22 bytes) may be followed by a comment of up to 65535 bytes. */
const END_SEARCH_BYTES = 22 + 0xffff;

/**
 * The sum of the sizes a ZIP archive's central directory declares for its
 * entries once inflated; Infinity when the directory cannot be read or uses
 * ZIP64 (sizes too large for its ordinary fields).
 */
export function declaredInflatedBytes(zip: Buffer): number {
  const from = Math.max(0, zip.length - END_SEARCH_BYTES);
  let end = -1;
  for (let offset = zip.length - 22; offset >= from; offset--) {
    if (zip.readUInt32LE(offset) === END_OF_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return Infinity;
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  let total = 0;
  for (let index = 0; index < entries; index++) {
    if (offset + 46 > zip.length || zip.readUInt32LE(offset) !== DIRECTORY_ENTRY) return Infinity;
    const inflated = zip.readUInt32LE(offset + 24);
    if (inflated === 0xffffffff) return Infinity;
    total += inflated;
    offset += 46 + zip.readUInt16LE(offset + 28) + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return total;
}

/**
 * The text of a Word document (.docx) for a turn's input, at most `maxChars`
 * characters: its paragraphs, as mammoth reads them (without formatting or
 * images). The file is read whole (its size counts whole against the turn's
 * attachment budget), but no more than its stored size. Null when it cannot
 * be read as a Word document or would inflate past MAX_DOCUMENT_INFLATED_BYTES.
 */
export async function documentText(content: AsyncIterable<Buffer>, sizeBytes: number, maxChars: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of content) {
    chunks.push(chunk);
    read += chunk.length;
    if (read > sizeBytes) return null;
  }
  const bytes = Buffer.concat(chunks);
  if (declaredInflatedBytes(bytes) > MAX_DOCUMENT_INFLATED_BYTES) return null;
  try {
    const { value } = await mammoth.extractRawText({ buffer: bytes });
    return value
      .replace(/\n{3,}/g, '\n\n')
      .trim()
      .slice(0, maxChars);
  } catch {
    return null;
  }
}
