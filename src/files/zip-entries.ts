const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const MAX_COMMENT = 0xffff;

/**
 * Names of the entries of a ZIP archive, read from its central directory
 * (enough to tell a .docx from a .pptx without unpacking anything). Returns
 * undefined when the bytes are not a well-formed archive.
 */
export function zipEntryNames(bytes: Buffer, maxEntries = 5_000): string[] | undefined {
  const searchStart = Math.max(0, bytes.length - 22 - MAX_COMMENT);
  let end = -1;
  for (let offset = bytes.length - 22; offset >= searchStart; offset--) {
    if (bytes.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) return undefined;
  const entryCount = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  const names: string[] = [];
  let cursor = directoryOffset;
  for (let index = 0; index < Math.min(entryCount, maxEntries); index++) {
    if (cursor + 46 > bytes.length || bytes.readUInt32LE(cursor) !== CENTRAL_DIRECTORY_ENTRY) return undefined;
    const nameLength = bytes.readUInt16LE(cursor + 28);
    const extraLength = bytes.readUInt16LE(cursor + 30);
    const commentLength = bytes.readUInt16LE(cursor + 32);
    if (cursor + 46 + nameLength > bytes.length) return undefined;
    names.push(bytes.subarray(cursor + 46, cursor + 46 + nameLength).toString('utf8'));
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}
