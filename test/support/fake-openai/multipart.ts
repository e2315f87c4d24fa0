import type { MultipartBody } from './request-log.js';

const HEADER_SEPARATOR = Buffer.from('\r\n\r\n');

export function multipartBoundary(contentType: string | undefined): string | undefined {
  const match = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Parses a multipart/form-data body into text fields and file parts; throws on malformed input. */
export function parseMultipart(body: Buffer, boundary: string): MultipartBody {
  const result: MultipartBody = { fields: {}, files: [] };
  for (const part of splitParts(body, boundary)) {
    const headerEnd = part.indexOf(HEADER_SEPARATOR);
    if (headerEnd < 0) throw new Error('multipart part without headers');
    const headers = parsePartHeaders(part.subarray(0, headerEnd).toString('utf8'));
    const content = part.subarray(headerEnd + HEADER_SEPARATOR.length);
    const disposition = headers.get('content-disposition') ?? '';
    const field = dispositionParameter(disposition, 'name');
    if (field === undefined) throw new Error('multipart part without a name');
    const filename = dispositionParameter(disposition, 'filename');
    if (filename === undefined) {
      result.fields[field] = content.toString('utf8');
    } else {
      const contentType = headers.get('content-type') ?? 'application/octet-stream';
      result.files.push({ field, filename, contentType, bytes: Buffer.from(content) });
    }
  }
  return result;
}

function splitParts(body: Buffer, boundary: string): Buffer[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let start = body.indexOf(delimiter);
  if (start < 0) throw new Error('multipart body without the boundary');
  while (true) {
    const contentStart = start + delimiter.length;
    if (body.subarray(contentStart, contentStart + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, contentStart);
    if (next < 0) throw new Error('multipart body without the closing boundary');
    // Each part sits between "<delimiter>\r\n" and "\r\n<next delimiter>".
    parts.push(body.subarray(contentStart + 2, next - 2));
    start = next;
  }
}

function parsePartHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function dispositionParameter(disposition: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(disposition);
  return match ? match[1].replace(/\\(.)/g, '$1') : undefined;
}

/**
 * Rebuilds the object the SDK flattened into form fields (`expires_after[anchor]=…`), so it can be
 * validated against the JSON Schema of the request body.
 */
export function nestFormFields(fields: Record<string, string>): Record<string, unknown> {
  const nested: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const [head, ...rest] = name.split('[').map((segment) => segment.replace(/]$/, ''));
    let target = nested;
    let key = head;
    for (const segment of rest) {
      const child = target[key];
      target = (typeof child === 'object' && child !== null ? child : (target[key] = {})) as Record<string, unknown>;
      key = segment;
    }
    target[key] = value;
  }
  return nested;
}
