import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

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

/** How a document's text is extracted: in a worker thread with its own heap and time. */
export interface ExtractionLimits {
  /** The worker's old-generation heap: past it, the worker dies and the document is unreadable. */
  heapMb: number;
  /** The worker is stopped after this long and the document is unreadable. */
  timeoutMs: number;
}

const MAMMOTH_PATH = createRequire(import.meta.url).resolve('mammoth');

/**
 * The worker's code (CommonJS, evaluated): mammoth's raw text of the bytes,
 * its blank lines folded, cut to maxChars; null when mammoth cannot read it.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const mammoth = require(workerData.mammothPath);
const buffer = Buffer.from(workerData.bytes.buffer, workerData.bytes.byteOffset, workerData.bytes.byteLength);
mammoth.extractRawText({ buffer }).then(
  ({ value }) => parentPort.postMessage(value.replace(/\\n{3,}/g, '\\n\\n').trim().slice(0, workerData.maxChars)),
  () => parentPort.postMessage(null),
);
`;

/**
 * mammoth in a worker thread: a document whose XML would take gigabytes of
 * objects or minutes of parsing (many tiny paragraphs inflate to millions of
 * nodes) costs the worker its heap or its time, never the server's memory or
 * event loop. Null when the worker fails, runs out of heap or time.
 */
function extractInWorker(bytes: Buffer, maxChars: number, limits: ExtractionLimits): Promise<string | null> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { mammothPath: MAMMOTH_PATH, bytes, maxChars },
      resourceLimits: { maxOldGenerationSizeMb: limits.heapMb, maxYoungGenerationSizeMb: Math.min(32, limits.heapMb) },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (text: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(text);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(null), limits.timeoutMs);
    worker.once('message', (text: string | null) => finish(typeof text === 'string' ? text : null));
    worker.once('error', () => finish(null));
    worker.once('exit', () => finish(null));
  });
}

/**
 * The text of a Word document (.docx) for a turn's input, at most `maxChars`
 * characters: its paragraphs, as mammoth reads them (without formatting or
 * images), in a worker thread bounded by `limits`. The file is read whole
 * (its size counts whole against the turn's attachment budget), but no more
 * than its stored size. Null when it cannot be read as a Word document, would
 * inflate past MAX_DOCUMENT_INFLATED_BYTES (an entry inflating past the size
 * the archive declares is refused by the unzipping itself), or its extraction
 * exceeds the worker's heap or time.
 */
export async function documentText(
  content: AsyncIterable<Buffer>,
  sizeBytes: number,
  maxChars: number,
  limits: ExtractionLimits,
): Promise<string | null> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of content) {
    chunks.push(chunk);
    read += chunk.length;
    if (read > sizeBytes) return null;
  }
  const bytes = Buffer.concat(chunks);
  if (declaredInflatedBytes(bytes) > MAX_DOCUMENT_INFLATED_BYTES) return null;
  return extractInWorker(bytes, maxChars, limits);
}
