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

/** The pieces of a multipart body of `files` files of `fileBytes` bytes each (field `field`), made as they are sent. */
export function* multipartPieces(boundary: string, files: number, fileBytes: number, field = 'files'): Generator<Buffer> {
  const piece = Buffer.alloc(64 * 1024, 'a');
  for (let index = 0; index < files; index++) {
    yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="part-${index}.txt"\r\nContent-Type: text/plain\r\n\r\n`);
    for (let left = fileBytes; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
    yield Buffer.from('\r\n');
  }
  yield Buffer.from(`--${boundary}--\r\n`);
}

export interface StreamedExchange extends RawExchange {
  /** Body bytes written when the first byte of the answer arrived (all of them when it came after). */
  sentBeforeAnswer: number;
  /** The whole body was written before the connection closed. */
  sentAll: boolean;
}

export interface StreamSendOptions {
  headers: Record<string, string>;
  pieces: Iterable<Buffer>;
  /** Stop sending after this many body bytes, wait for `beforeAbort`, then drop the connection (a client that goes away). */
  abortAfterBytes?: number;
  beforeAbort?: () => Promise<unknown>;
  timeoutMs?: number;
}

/**
 * Sends a body with Transfer-Encoding: chunked (no Content-Length), piece by
 * piece as the socket takes them, and stops as soon as the server answers or
 * closes: what a client streaming an endless upload looks like.
 */
export function sendChunked(baseUrl: string, method: string, path: string, options: StreamSendOptions): Promise<StreamedExchange> {
  const url = new URL(baseUrl);
  const head =
    `${method} ${path} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n` +
    `${Object.entries(options.headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n`;
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let sent = 0;
    let sentBeforeAnswer: number | undefined;
    let closed = false;
    let sentAll = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseAnswer(Buffer.concat(chunks)), sentBeforeAnswer: sentBeforeAnswer ?? sent, sentAll });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 60_000);
    socket.on('data', (chunk: Buffer) => {
      sentBeforeAnswer ??= sent;
      chunks.push(chunk);
    });
    socket.on('close', finish);
    socket.on('error', finish);
    const writable = () =>
      new Promise<void>((done) => {
        socket.once('drain', done);
        socket.once('close', done);
      });
    socket.on('connect', async () => {
      socket.write(head, 'latin1');
      for (const piece of options.pieces) {
        if (closed || sentBeforeAnswer !== undefined) return;
        if (options.abortAfterBytes !== undefined && sent >= options.abortAfterBytes) {
          await options.beforeAbort?.();
          return finish();
        }
        const ok = socket.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
        sent += piece.length;
        if (!ok) await writable();
      }
      if (!closed && sentBeforeAnswer === undefined) {
        sentAll = true;
        socket.write('0\r\n\r\n');
      }
    });
  });
}
