import { connect } from 'node:net';

/**
 * Multipart bodies built byte by byte, and a raw socket client that can send
 * them whole, cut short, or with a Content-Length the body never reaches:
 * what a broken or hostile client sends to the upload routes.
 */

export interface RawPart {
  /** Header lines of the part, without the CRLFs (e.g. `Content-Disposition: form-data; name="file"; filename="a.txt"`). */
  headers: string[];
  body: Buffer | string;
}

export function filePart(field: string, filename: string, content: Buffer | string, type = 'text/plain'): RawPart {
  return {
    headers: [`Content-Disposition: form-data; name="${field}"; filename="${filename}"`, `Content-Type: ${type}`],
    body: content,
  };
}

export function fieldPart(name: string, value: string): RawPart {
  return { headers: [`Content-Disposition: form-data; name="${name}"`], body: value };
}

/** The body of a multipart/form-data request, closing delimiter included unless `close` is false. */
export function multipartBody(boundary: string, parts: RawPart[], options: { close?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${part.headers.map((line) => `${line}\r\n`).join('')}\r\n`, 'latin1'));
    chunks.push(Buffer.isBuffer(part.body) ? part.body : Buffer.from(part.body, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  if (options.close !== false) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

export interface RawExchange {
  /** The status of the answer, when one came. */
  status?: number;
  /** The answer's body, parsed when it was JSON. */
  body?: unknown;
  contentType?: string;
  /** The whole answer as text (headers included). */
  raw: string;
  /** The server closed the connection (or it was closed by us) without answering. */
  noAnswer: boolean;
}

export interface RawSendOptions {
  /** Headers as sent; nothing is added (no Content-Length unless given). */
  headers: Record<string, string>;
  body: Buffer;
  /**
   * After writing the body: keep the connection open until the server closes it
   * (`wait`, the default: requests say Connection: close), half-close it (`end`:
   * Node's server then aborts an unfinished request) or drop it (`destroy`).
   */
  then?: 'end' | 'destroy' | 'wait';
  /** Give up waiting for an answer after this long (the connection is then destroyed). */
  timeoutMs?: number;
}

function parseAnswer(raw: Buffer): RawExchange {
  const text = raw.toString('utf8');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  if (!match) return { raw: text, noAnswer: true };
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  let bodyText = split >= 0 ? text.slice(split + 4) : '';
  if (/^transfer-encoding: *chunked/im.test(head)) bodyText = dechunk(bodyText);
  const contentType = /^content-type: *(.*)$/im.exec(head)?.[1]?.trim();
  let body: unknown = bodyText;
  if (contentType && /json/i.test(contentType)) {
    try {
      body = JSON.parse(bodyText);
    } catch {
      body = bodyText;
    }
  }
  return { status: Number(match[1]), body, contentType, raw: text, noAnswer: false };
}

function dechunk(text: string): string {
  let out = '';
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf('\r\n');
    if (lineEnd < 0) return out;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!size) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 4 + size);
  }
}

/** One request on its own TCP connection; resolves when the server closes it (or on the timeout). */
export function sendRaw(baseUrl: string, method: string, path: string, options: RawSendOptions): Promise<RawExchange> {
  const url = new URL(baseUrl);
  const head =
    `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\n` +
    `${Object.entries(options.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n`;
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 10_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(head, 'latin1');
      socket.write(options.body, () => {
        if (options.then === 'destroy') finish();
        else if (options.then === 'end') socket.end();
      });
    });
  });
}
