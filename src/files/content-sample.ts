import { isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { JsonSyntaxCheck } from './json-syntax.js';
import { zipEntryNames } from './zip-entries.js';

/** What typing a file needs to see of its start (signatures, markup, SVG). */
export const SAMPLE_HEAD_BYTES = 64 * 1024;

/**
 * What the platform knows of a file's content once it has streamed past:
 * enough to type it, without holding more than its first bytes.
 */
export interface ContentSample {
  size: number;
  sha256: string;
  /** The first SAMPLE_HEAD_BYTES bytes (all of a smaller file). */
  head: Buffer;
  /** Strict UTF-8, no NUL byte, and hardly any control characters. */
  isText: boolean;
  /** Text that is exactly one JSON document. */
  isJson: boolean;
  /** The entries of a ZIP archive's central directory, when the content is one. */
  zipEntryNames?: string[];
}

/** Length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Strict UTF-8 validation of a stream, chunk by chunk, without decoding anything into strings. */
class Utf8Check {
  /** An incomplete sequence at the end of the last chunk, completed by the next. */
  private carry: Buffer = Buffer.alloc(0);
  private valid = true;

  write(chunk: Buffer): void {
    if (!this.valid) return;
    let rest = chunk;
    if (this.carry.length > 0) {
      const need = sequenceLength(this.carry[0]) - this.carry.length;
      if (rest.length < need) {
        this.carry = Buffer.concat([this.carry, rest]);
        return;
      }
      if (!isUtf8(Buffer.concat([this.carry, rest.subarray(0, need)]))) return this.fail();
      rest = rest.subarray(need);
    }
    let incomplete = 0;
    for (let back = 1; back <= Math.min(3, rest.length); back++) {
      const byte = rest[rest.length - back];
      if ((byte & 0xc0) === 0x80) continue;
      if (sequenceLength(byte) > back) incomplete = back;
      break;
    }
    if (!isUtf8(rest.subarray(0, rest.length - incomplete))) return this.fail();
    this.carry = Buffer.from(rest.subarray(rest.length - incomplete));
  }

  end(): boolean {
    return this.valid && this.carry.length === 0;
  }

  private fail(): void {
    this.valid = false;
  }
}

/**
 * Looks at a file chunk by chunk as it streams: hash, size, head, and whether
 * it is text (and JSON), all on the bytes as they come, nothing decoded.
 */
export class ContentProbe {
  private readonly hash: Hash = createHash('sha256');
  private readonly headChunks: Buffer[] = [];
  private headBytes = 0;
  private size = 0;
  private readonly utf8 = new Utf8Check();
  private readonly json = new JsonSyntaxCheck();
  private text = true;
  /** The text's length in UTF-16 code units (as a JavaScript string would count it). */
  private characters = 0;
  private controls = 0;

  get bytesSeen(): number {
    return this.size;
  }

  update(chunk: Buffer): void {
    this.size += chunk.length;
    this.hash.update(chunk);
    if (this.headBytes < SAMPLE_HEAD_BYTES) {
      const part = chunk.subarray(0, SAMPLE_HEAD_BYTES - this.headBytes);
      // A copy: the chunk's memory may be a slice of a much larger buffer.
      this.headChunks.push(Buffer.from(part));
      this.headBytes += part.length;
    }
    if (this.text) this.inspectText(chunk);
  }

  finish(): ContentSample {
    const isText = this.text && this.utf8.end() && this.controls <= this.characters / 1000;
    return {
      size: this.size,
      sha256: this.hash.digest('hex'),
      head: Buffer.concat(this.headChunks),
      isText,
      isJson: isText && this.json.end(),
    };
  }

  private inspectText(chunk: Buffer): void {
    for (let index = 0; index < chunk.length; index++) {
      const byte = chunk[index];
      if (byte === 0) {
        this.text = false;
        return;
      }
      if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) this.controls++;
      // One unit per character, two for those past U+FFFF (4-byte sequences).
      if ((byte & 0xc0) !== 0x80) this.characters++;
      if (byte >= 0xf0) this.characters++;
    }
    this.utf8.write(chunk);
    this.json.write(chunk);
  }
}

/** The sample of content already in memory (small files, tests). */
export function sampleOf(bytes: Buffer): ContentSample {
  const probe = new ContentProbe();
  probe.update(bytes);
  const sample = probe.finish();
  return isZipStart(sample.head) ? { ...sample, zipEntryNames: zipEntryNames(bytes) } : sample;
}

export function isZipStart(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}
