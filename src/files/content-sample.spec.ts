import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { ContentProbe, SAMPLE_HEAD_BYTES, sampleOf } from './content-sample.js';

/** Text as the platform has always defined it, decoding the whole content at once. */
function wholeText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return false;
  }
  let control = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c) control++;
  }
  return control <= text.length / 1000;
}

/** The probe fed the bytes in pieces cut at the given offsets. */
function probeInPieces(bytes: Buffer, cuts: number[]) {
  const probe = new ContentProbe();
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const to = Math.max(from, Math.min(bytes.length, cut));
    probe.update(bytes.subarray(from, to));
    from = to;
  }
  probe.update(bytes.subarray(from));
  return probe.finish();
}

const textLike = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }).map((text) => Buffer.from(text, 'utf8')),
  fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
  fc.tuple(fc.string({ unit: 'binary', maxLength: 200 }), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([text, at, byte]) => {
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.length > 0) bytes[at % bytes.length] = byte;
    return bytes;
  }),
);

describe('ContentProbe', () => {
  it('property: tells text as decoding the whole content does, however the bytes are cut (inside characters too)', () => {
    fc.assert(
      fc.property(textLike, fc.array(fc.nat({ max: 400 }), { maxLength: 6 }), (bytes, cuts) => {
        expect(probeInPieces(bytes, cuts).isText).toBe(wholeText(bytes));
      }),
      { numRuns: 3_000 },
    );
  });

  it('keeps the head, the size and the hash of what streamed past, and nothing more', () => {
    const bytes = Buffer.alloc(3 * SAMPLE_HEAD_BYTES + 17, 'x');
    bytes.write('{"big": "', 0);
    const sample = probeInPieces(bytes, [1, 100, SAMPLE_HEAD_BYTES - 1, SAMPLE_HEAD_BYTES + 5, 2 * SAMPLE_HEAD_BYTES]);
    expect(sample.size).toBe(bytes.length);
    expect(sample.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.compare(sample.head, bytes.subarray(0, SAMPLE_HEAD_BYTES))).toBe(0);
    expect(sample).toMatchObject({ isText: true, isJson: false });
  });

  it('tells JSON from text that only looks like it', () => {
    expect(sampleOf(Buffer.from('{"a": [1, 2, {"b": "é"}]}\n'))).toMatchObject({ isText: true, isJson: true });
    expect(sampleOf(Buffer.from('{"a": [1, 2'))).toMatchObject({ isText: true, isJson: false });
    expect(sampleOf(Buffer.from([0x7b, 0x7d, 0xff]))).toMatchObject({ isText: false, isJson: false });
  });
});
