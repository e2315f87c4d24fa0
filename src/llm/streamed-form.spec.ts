import { streamedForm } from './streamed-form.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

async function collect(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

describe('streamed form', () => {
  it('declares the exact length of the form it streams, fields first and the file as it is read', async () => {
    const form = streamedForm(
      { purpose: 'vision', 'expires_after[seconds]': '3600' },
      { field: 'file', filename: 'a "b".png', mimeType: 'image/png', sizeBytes: 10, open: () => chunks('01234', '56789') },
    );
    const body = await collect(form.body);
    expect(body.length).toBe(form.contentLength);
    const boundary = /boundary=(.+)$/.exec(form.contentType)![1];
    expect(body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nvision\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="expires_after[seconds]"\r\n\r\n3600\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a %22b%22.png"\r\nContent-Type: image/png\r\n\r\n` +
        `0123456789\r\n--${boundary}--\r\n`,
    );
  });

  it('fails rather than send a file whose bytes do not match its recorded size', async () => {
    const file = { field: 'file', filename: 'x.png', mimeType: 'image/png', sizeBytes: 10 };
    await expect(collect(streamedForm({}, { ...file, open: () => chunks('0123456789', 'extra') }).body)).rejects.toThrow(/longer/);
    await expect(collect(streamedForm({}, { ...file, open: () => chunks('01234') }).body)).rejects.toThrow(/5 of its recorded 10/);
  });
});
