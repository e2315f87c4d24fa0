import type { FileHandle } from 'node:fs/promises';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const END_RECORD_BYTES = 22;
const MAX_COMMENT = 0xffff;
/** The end record and the longest comment it may be followed by. */
export const ZIP_TAIL_BYTES = END_RECORD_BYTES + MAX_COMMENT;
/** Far more than any Office document's directory; a larger one is not read. */
const MAX_DIRECTORY_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 5_000;

interface DirectoryLocation {
  entryCount: number;
  offset: number;
  size: number;
}

/** Finds the end record in the archive's last bytes (`tail`, which ends where the archive ends). */
function locateDirectory(tail: Buffer): DirectoryLocation | undefined {
  for (let offset = tail.length - END_RECORD_BYTES; offset >= 0; offset--) {
    if (tail.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      return { entryCount: tail.readUInt16LE(offset + 10), size: tail.readUInt32LE(offset + 12), offset: tail.readUInt32LE(offset + 16) };
    }
  }
  return undefined;
}

/** Reads entry names from `directory`, which holds the archive's bytes from the directory's start. */
function readNames(directory: Buffer, entryCount: number, maxEntries: number): string[] | undefined {
  const names: string[] = [];
  let cursor = 0;
  for (let index = 0; index < Math.min(entryCount, maxEntries); index++) {
    if (cursor + 46 > directory.length || directory.readUInt32LE(cursor) !== CENTRAL_DIRECTORY_ENTRY) return undefined;
    const nameLength = directory.readUInt16LE(cursor + 28);
    const extraLength = directory.readUInt16LE(cursor + 30);
    const commentLength = directory.readUInt16LE(cursor + 32);
    if (cursor + 46 + nameLength > directory.length) return undefined;
    names.push(directory.subarray(cursor + 46, cursor + 46 + nameLength).toString('utf8'));
    cursor += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/**
 * Names of the entries of a ZIP archive held in memory, read from its central
 * directory (enough to tell a .docx from a .pptx without unpacking anything).
 * Returns undefined when the bytes are not a well-formed archive.
 */
export function zipEntryNames(bytes: Buffer, maxEntries = MAX_ENTRIES): string[] | undefined {
  const location = locateDirectory(bytes.subarray(Math.max(0, bytes.length - ZIP_TAIL_BYTES)));
  if (!location || location.offset >= bytes.length) return undefined;
  return readNames(bytes.subarray(location.offset), location.entryCount, maxEntries);
}

/**
 * The same for an archive in an open file of `size` bytes: only its tail and
 * its central directory are read, never the whole file.
 */
export async function zipEntryNamesInFile(file: FileHandle, size: number, maxEntries = MAX_ENTRIES): Promise<string[] | undefined> {
  const read = async (position: number, length: number): Promise<Buffer> => {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
    return buffer.subarray(0, bytesRead);
  };
  const tailStart = Math.max(0, size - ZIP_TAIL_BYTES);
  const location = locateDirectory(await read(tailStart, size - tailStart));
  if (!location || location.offset >= size) return undefined;
  // The directory ends before the end record; its declared size bounds the read.
  const directoryBytes = Math.min(size - location.offset, Math.max(location.size, 46), MAX_DIRECTORY_BYTES);
  return readNames(await read(location.offset, directoryBytes), location.entryCount, maxEntries);
}
