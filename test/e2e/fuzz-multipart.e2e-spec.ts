import type { Server } from 'node:http';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, fuzzSettings as settings } from '../support/fuzz-settings.js';
import { chatUser, type ChatUser } from '../support/chat-helpers.js';
import { envelopeViolation } from '../support/fuzz-http.js';
import { eventually, storedRowCounts } from '../support/platform-api.js';
import { fieldPart, filePart, multipartBody, sendRaw, type RawExchange, type RawPart } from '../support/raw-multipart.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Malformed multipart and truncated uploads, sent with raw sockets to every
 * upload route: each is refused with a 4xx in the envelope (or, when the
 * client drops the connection, simply closed), nothing is stored, no error
 * escapes as a 5xx or an unhandled exception, and the server stays up.
 *
 * fast-check prints the seed of a failure; replay it with FUZZ_SEED=<seed>.
 */

const BOUNDARY = 'fuzzBoundary7MA4YWxkTrZu0gW';
const TEXT = Buffer.from('plain notes that would be accepted on their own\n');

describe('malformed multipart and truncated uploads', () => {
  let app: TestApp;
  let user: ChatUser;
  let routes: string[];

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
    user = await chatUser(app);
    routes = ['/api/upload', '/api/upload-directory', `/api/assistants/${user.assistant.id}/files`];
  }, 60_000);

  afterEach(async () => {
    // Nothing the malformed requests carried was stored, and the server still answers.
    expect(await storedRowCounts(app.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
    const health = await sendRaw(app.baseUrl, 'GET', '/health', { headers: {}, body: Buffer.alloc(0) });
    expect(health.status).toBe(200);
    const unhandled = app.logs.entries().filter((entry) => entry.msg === 'unhandled error' || (typeof entry.status === 'number' && entry.status >= 500));
    expect(unhandled).toEqual([]);
  }, 30_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Every connection the server had is closed: no request is left hanging on a body that will never come. */
  const expectNoOpenConnections = () =>
    eventually(
      () =>
        new Promise<true | undefined>((resolve) =>
          (app.app.getHttpServer() as Server).getConnections((error, count) => resolve(!error && count === 0 ? true : undefined)),
        ),
      { timeoutMs: 5_000 },
    );

  const post = (path: string, contentType: string | undefined, body: Buffer, extra: Record<string, string> = {}) =>
    sendRaw(app.baseUrl, 'POST', path, {
      headers: { cookie: user.cookie, ...(contentType === undefined ? {} : { 'content-type': contentType }), 'content-length': String(body.length), ...extra },
      body,
    });

  /** Why an answer to a malformed upload is wrong, or undefined: it must be a 4xx envelope. */
  const refusalProblem = (label: string, answer: RawExchange): string | undefined => {
    if (answer.noAnswer) return `${label}: the connection closed without an answer`;
    if (answer.status === undefined || answer.status < 400 || answer.status >= 500) return `${label}: answered ${answer.status}: ${answer.raw.slice(0, 300)}`;
    if (!answer.contentType?.startsWith('application/json')) return `${label}: ${answer.status} as ${answer.contentType}, not the envelope`;
    const problem = envelopeViolation(answer.body);
    return problem ? `${label}: ${problem}` : undefined;
  };

  const malformed: Array<{ name: string; contentType?: string; body: () => Buffer; headers?: Record<string, string> }> = [
    { name: 'no boundary parameter', contentType: 'multipart/form-data', body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]) },
    { name: 'an empty boundary', contentType: 'multipart/form-data; boundary=', body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]) },
    { name: 'a boundary the body does not use', contentType: 'multipart/form-data; boundary=somethingElse', body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]) },
    { name: 'a boundary longer than RFC 2046 allows', contentType: `multipart/form-data; boundary=${'b'.repeat(5_000)}`, body: () => multipartBody('b'.repeat(5_000), [fieldPart('x', 'y')], { close: false }) },
    { name: 'an empty body', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: () => Buffer.alloc(0) },
    { name: 'only the closing delimiter', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: () => Buffer.from(`--${BOUNDARY}--\r\n`) },
    { name: 'no closing delimiter (truncated form)', contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)], { close: false }) },
    {
      name: 'a body cut in the middle of a file',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]).subarray(0, 150),
    },
    {
      name: 'a file part without a name',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [{ headers: ['Content-Disposition: form-data; filename="a.txt"', 'Content-Type: text/plain'], body: TEXT }]),
    },
    {
      name: 'a file part with an empty name',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [filePart('', 'a.txt', TEXT)]),
    },
    {
      name: 'a part without Content-Disposition',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [{ headers: ['Content-Type: text/plain'], body: TEXT }]),
    },
    {
      name: 'a part whose headers never end',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nX: ${'h'.repeat(20_000)}`),
    },
    {
      name: 'a part with thousands of header lines',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () =>
        multipartBody(BOUNDARY, [
          { headers: ['Content-Disposition: form-data; name="file"; filename="a.txt"', ...Array.from({ length: 3_000 }, (_, index) => `X-${index}: y`)], body: TEXT },
        ]),
    },
    {
      name: 'a huge field name',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [fieldPart('n'.repeat(100_000), 'value')]),
    },
    {
      name: 'a huge file field name',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [filePart('f'.repeat(100_000), 'a.txt', TEXT)]),
    },
    {
      name: 'a field value over the field size limit',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [fieldPart('assistantId', 'v'.repeat(70_000)), filePart('file', 'a.txt', TEXT)]),
    },
    {
      name: 'many fields',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [...Array.from({ length: 2_000 }, (_, index) => fieldPart(`f${index}`, 'v')), filePart('file', 'a.txt', TEXT)]),
    },
    {
      name: 'many files',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, Array.from({ length: 400 }, (_, index) => filePart('files', `f${index}.txt`, TEXT))),
    },
    {
      name: 'a file in a field no route accepts',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [filePart('document', 'a.txt', TEXT)]),
    },
    {
      name: 'an unknown field next to a good file',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => multipartBody(BOUNDARY, [fieldPart('__proto__', '{"polluted":true}'), fieldPart('dir', '/etc'), filePart('file', 'a.txt', TEXT)]),
    },
    {
      name: 'a nested multipart/mixed part',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () =>
        multipartBody(BOUNDARY, [
          {
            headers: ['Content-Disposition: form-data; name="files"', 'Content-Type: multipart/mixed; boundary=inner'],
            body: multipartBody('inner', [{ headers: ['Content-Disposition: file; filename="a.txt"'], body: TEXT }]),
          },
        ]),
    },
    {
      name: 'raw garbage declared as multipart',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      body: () => Buffer.from(Array.from({ length: 4_096 }, (_, index) => (index * 7919) % 256)),
    },
    {
      name: 'an unsupported charset parameter',
      contentType: `multipart/form-data; boundary=${BOUNDARY}; charset=utf-7`,
      body: () => multipartBody(BOUNDARY, [fieldPart('assistantId', 'x')], { close: false }),
    },
    {
      name: 'a gzip content encoding that is not gzip',
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
      headers: { 'content-encoding': 'gzip' },
      body: () => multipartBody(BOUNDARY, [fieldPart('assistantId', 'x')], { close: false }),
    },
    { name: 'multipart/mixed instead of form-data', contentType: `multipart/mixed; boundary=${BOUNDARY}`, body: () => multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]) },
  ];

  it.each(malformed.map((testCase) => [testCase.name, testCase] as const))('refuses %s with a 4xx envelope on every upload route', async (_, testCase) => {
    const problems: string[] = [];
    for (const route of routes) {
      const answer = await post(route, testCase.contentType, testCase.body(), testCase.headers);
      const problem = refusalProblem(`${testCase.name} -> ${route}`, answer);
      if (problem) problems.push(problem);
    }
    expect(problems).toEqual([]);
  });

  it('property: random forms with one fatal flaw (cut short, wrong or missing boundary) are refused with a 4xx envelope', async () => {
    const name = fc.oneof(
      fc.constantFrom('file', 'files', 'assistantId', 'paths', 'dir', '', '__proto__', 'files[]', 'file[0]', 'a[b][c]'),
      fc.string({ maxLength: 30 }).filter((text) => !/["\r\n]/.test(text)),
    );
    const filename = fc.oneof(
      fc.constantFrom('a.txt', 'notes.md', '../../etc/passwd', 'dir/sub/a.json', 'C:\\x\\a.txt', '', '.', 'a\u0000.txt', '%2e%2e%2fa.txt', 'ünï😀.txt'),
      fc.string({ maxLength: 40 }).filter((text) => !/["\r\n]/.test(text)),
    );
    const content = fc.oneof(
      fc.constant(TEXT),
      fc.uint8Array({ maxLength: 2_048 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom(Buffer.from('%PDF-1.4\n'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('PK\u0003\u0004'), Buffer.from(`--${BOUNDARY}`)),
    );
    const part: fc.Arbitrary<RawPart> = fc.oneof(
      fc.tuple(name, filename, content, fc.constantFrom('text/plain', 'application/pdf', 'image/png', 'application/octet-stream', '', 'x/y; charset=zzz')).map(
        ([field, file, bytes, type]) => filePart(field, file, bytes, type),
      ),
      fc.tuple(name, fc.string({ maxLength: 200 })).map(([field, value]) => fieldPart(field, value)),
      fc.tuple(fc.array(fc.string({ maxLength: 60 }).filter((line) => !/[\r\n]/.test(line)), { maxLength: 4 }), content).map(([headers, bytes]) => ({ headers, body: bytes })),
    );
    const flaw = fc.oneof(
      fc.record({ kind: fc.constant('cut' as const), at: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
      fc.record({ kind: fc.constant('boundary' as const), other: fc.constantFrom('zzz', `${BOUNDARY}x`, BOUNDARY.slice(1), '"quoted"') }),
      fc.record({ kind: fc.constant('no-boundary' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(part, { minLength: 1, maxLength: 6 }), flaw, fc.constantFrom(...routes), async (parts, defect, route) => {
        let body = multipartBody(BOUNDARY, parts);
        let contentType = `multipart/form-data; boundary=${BOUNDARY}`;
        // Cut somewhere before the closing delimiter: the form never ends.
        if (defect.kind === 'cut') body = body.subarray(0, Math.floor((body.length - `--${BOUNDARY}--\r\n`.length) * defect.at));
        if (defect.kind === 'boundary') contentType = `multipart/form-data; boundary=${defect.other}`;
        if (defect.kind === 'no-boundary') contentType = 'multipart/form-data';
        const problem = refusalProblem(`${defect.kind} -> ${route}`, await post(route, contentType, body));
        if (problem) throw new Error(problem);
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it.each([
    ['half-closes', 'end'],
    ['drops the connection', 'destroy'],
  ] as const)('a truncated upload (Content-Length larger than what is sent, then the client %s) is closed or refused; nothing is stored', async (_, then) => {
    const full = multipartBody(BOUNDARY, [fieldPart('paths', 'folder/a.txt'), filePart('files', 'folder/a.txt', Buffer.alloc(200_000, 'a'))]);
    for (const route of routes) {
      for (const sent of [0, 40, 300, Math.floor(full.length / 2), full.length - 10]) {
        const answer = await sendRaw(app.baseUrl, 'POST', route, {
          headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(full.length + 100_000) },
          body: full.subarray(0, sent),
          then,
          timeoutMs: 5_000,
        });
        // Either nobody answers (the client is gone) or the answer is a refusal in the envelope.
        if (!answer.noAnswer) expect(refusalProblem(`${route} after ${sent} bytes`, answer)).toBeUndefined();
      }
    }
    await expectNoOpenConnections();
  }, 60_000);

  it('a chunked upload that stops before its last chunk, then closes, is closed or refused; nothing is stored', async () => {
    const full = multipartBody(BOUNDARY, [filePart('file', 'a.txt', TEXT)]);
    for (const route of routes) {
      for (const then of ['end', 'destroy'] as const) {
        const chunk = full.subarray(0, 120);
        const answer = await sendRaw(app.baseUrl, 'POST', route, {
          headers: { cookie: user.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'transfer-encoding': 'chunked' },
          body: Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
          then,
          timeoutMs: 5_000,
        });
        if (!answer.noAnswer) expect(refusalProblem(`${route} chunked`, answer)).toBeUndefined();
      }
    }
    await expectNoOpenConnections();
  }, 60_000);

  it('still takes a well-formed upload afterwards', async () => {
    const other = await chatUser(app);
    const body = multipartBody(BOUNDARY, [filePart('file', 'ok.txt', TEXT)]);
    const answer = await sendRaw(app.baseUrl, 'POST', '/api/upload', {
      headers: { cookie: other.cookie, 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) },
      body,
    });
    expect(answer.status).toBe(201);
    expect(await storedRowCounts(app.dataSource, other.userId)).toMatchObject({ files: 1 });
  });
});
