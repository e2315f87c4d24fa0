import { randomBytes } from 'node:crypto';

/** A multipart/form-data body whose file part streams in, with its length known before the first byte. */
export interface StreamedForm {
  contentType: string;
  contentLength: number;
  body: AsyncIterable<Buffer>;
}

export interface StreamedFilePart {
  field: string;
  filename: string;
  mimeType: string;
  /** Exactly the bytes `open()` yields; anything else fails the upload rather than sending a wrong length. */
  sizeBytes: number;
  open(): AsyncIterable<Buffer>;
}

/** Quotes a header parameter the way browsers and undici do (no raw quote or line break can end it early). */
function quoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/**
 * Builds the form without holding the file: the SDK's own form encoder reads
 * a file whole into memory before sending it, where this one passes the
 * stored chunks through as they are read. The declared length lets the
 * server refuse an oversized body at once, as it can for the SDK's forms.
 */
export function streamedForm(fields: Record<string, string>, file: StreamedFilePart): StreamedForm {
  const boundary = `----platform-form-${randomBytes(16).toString('hex')}`;
  let head = '';
  for (const [name, value] of Object.entries(fields)) {
    head += `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(name)}"\r\n\r\n${value}\r\n`;
  }
  head +=
    `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.filename)}"\r\n` +
    `Content-Type: ${file.mimeType}\r\n\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');

  async function* body(): AsyncGenerator<Buffer> {
    yield headBytes;
    let sent = 0;
    for await (const chunk of file.open()) {
      sent += chunk.length;
      if (sent > file.sizeBytes) throw new Error(`the stored file is longer than its recorded ${file.sizeBytes} bytes`);
      yield chunk;
    }
    if (sent !== file.sizeBytes) throw new Error(`the stored file has ${sent} of its recorded ${file.sizeBytes} bytes`);
    yield tailBytes;
  }

  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    contentLength: headBytes.length + file.sizeBytes + tailBytes.length,
    body: body(),
  };
}
