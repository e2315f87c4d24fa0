import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { PROPERTY_TIMEOUT_MS, fuzzSettings as settings } from '../support/fuzz-settings.js';
import { FuzzWorld } from '../support/fuzz-targets.js';
import {
  acceptHeader,
  bodyForRoute,
  contentEncodingHeader,
  contentTypeHeader,
  fieldBank,
  fieldsObjectText,
  junkCookieHeader,
  pathIdText,
  queryBank,
  queryForRoute,
  queryText,
  wireEncode,
} from '../support/hostile-input.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Bad input at scale: random and hostile bodies, query strings, path ids and
 * headers sent to every route the application serves (read from its
 * controllers), signed in and signed out. Whatever arrives, the answer is
 * never a 5xx, an error is always the envelope `{error, code, details?}`, no
 * request hangs and the server stays up.
 *
 * Bodies and query strings are built per route from the fields of its DTOs
 * (read from the application too): mostly valid values with one or two
 * hostile ones, so that input gets past validation into the services; some
 * runs send anything at all instead.
 *
 * fast-check prints the seed and the shrunk input of a failure; replay it with
 * FUZZ_SEED=<seed>. For a longer hunt: FUZZ_RUNS=<n> FUZZ_TIME_LIMIT_MS=<ms>.
 * FUZZ_STATS=1 prints the statuses and error codes seen per route (how deep
 * the input got); FUZZ_DEBUG="POST /api/chat" prints each request to that route.
 */

const JSON_HEADERS = { 'content-type': 'application/json' };

describe('fuzzing every route with hostile input', () => {
  let app: TestApp;
  let world: FuzzWorld;

  beforeAll(async () => {
    app = await startTestApp({ fake: true });
    world = await FuzzWorld.create(app);
  }, 60_000);

  afterEach(async () => {
    await world?.settle();
  }, 30_000);

  afterAll(async () => {
    world?.close();
    await app?.close();
  });

  it('reads every route from the application, with the fields of its body and query DTOs', () => {
    const routes = world.routes.map((route) => `${route.method} ${route.path}`);
    expect(routes.length).toBeGreaterThanOrEqual(30);
    expect(routes).toEqual(
      expect.arrayContaining(['POST /api/chat', 'POST /api/upload', 'GET /api/threads/:id/messages', 'POST /api/register', 'GET /health']),
    );
    const chat = world.routes.find((route) => route.method === 'POST' && route.path === '/api/chat')!;
    expect(world.fields(chat).body).toEqual(expect.arrayContaining(['message', 'threadId', 'fileIds', 'stream']));
    expect(world.fields(chat).required).toEqual(['message']);
    expect(world.allFields.query).toEqual(expect.arrayContaining(['limit', 'offset', 'before', 'from', 'groupBy']));
  });

  it('signed in: each field of each route alone with null, a wrong type or an edge value', async () => {
    const values = ['null', '[]', '{}', 'true', '0', '-1', '""', '" "', '"\\u0000"', '[null]', '{"__proto__":{"x":1}}', '1e400'];
    const problems: Array<string | undefined> = [];
    for (const route of world.routes) {
      const { body: fields } = world.fields(route);
      for (const field of fields) {
        problems.push(
          ...(await Promise.all(
            values.map(async (value) =>
              world.probe(`${route.method} ${route.path} {${field}: ${value}}`, {
                method: route.method,
                path: world.concrete(route),
                headers: { ...JSON_HEADERS, cookie: await world.cookieFor(route) },
                body: `{${JSON.stringify(field)}:${value}}`,
              }),
            ),
          )),
        );
      }
      await world.restore();
    }
    await world.expectClean(problems);
    await world.expectSignedIn();
  }, 120_000);

  it('signed in: each query field of each route alone with an edge value, repeated, or broken encoding', async () => {
    const values = ['', '%00', 'a%00b', 'null', '-1', '-0', '0', '1e21', '99999999999999999999', '1.5', 'NaN', '%zz', '%ED%A0%80', 'x&FIELD=y', 'x'.repeat(3_000)];
    const problems: Array<string | undefined> = [];
    for (const route of world.routes) {
      for (const field of world.fields(route).query) {
        problems.push(
          ...(await Promise.all(
            values.map(async (value) =>
              world.probe(`${route.method} ${route.path} ?${field}=${value.slice(0, 20)}`, {
                method: route.method,
                path: `${world.concrete(route)}?${field}=${value.replace('FIELD', field)}`,
                headers: { cookie: await world.cookieFor(route) },
              }),
            ),
          )),
        );
      }
    }
    await world.expectClean(problems);
  }, 120_000);

  it('signed in: hostile JSON bodies on every route (built from the DTO fields of each route, or anything)', async () => {
    await fc.assert(
      fc.asyncProperty(fieldBank(world.allFields.body, world.ids), async (bank) => {
        const problems = await Promise.all(
          world.routes.map(async (route) =>
            world.probe(route, {
              method: route.method,
              path: world.concrete(route),
              headers: { ...JSON_HEADERS, cookie: await world.cookieFor(route) },
              body: bodyForRoute(bank, world.fields(route)),
            }),
          ),
        );
        await world.expectClean(problems);
        await world.expectAlive();
        await world.expectSignedIn();
        await world.restore();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('signed out (no cookie or a junk one): hostile JSON bodies on every route', async () => {
    await fc.assert(
      fc.asyncProperty(fieldBank(world.allFields.body, world.ids), junkCookieHeader, async (bank, cookie) => {
        const problems = await Promise.all(
          world.routes.map((route) =>
            world.probe(route, {
              method: route.method,
              path: world.concrete(route),
              headers: { ...JSON_HEADERS, ...(cookie === undefined ? {} : { cookie }) },
              body: bodyForRoute(bank, world.fields(route)),
            }),
          ),
        );
        await world.expectClean(problems);
        await world.expectAlive();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('signed in: hostile query strings on every route (built from the query DTO of each route, or anything)', async () => {
    await fc.assert(
      fc.asyncProperty(queryBank(world.allFields.query, world.ids), fc.constantFrom(undefined, '{}'), async (bank, body) => {
        const problems = await Promise.all(
          world.routes.map(async (route) =>
            world.probe(route, {
              method: route.method,
              path: `${world.concrete(route)}${queryForRoute(bank, world.fields(route).query)}`,
              headers: { ...(body === undefined ? {} : JSON_HEADERS), cookie: await world.cookieFor(route) },
              body,
            }),
          ),
        );
        await world.expectClean(problems);
        await world.expectAlive();
        await world.expectSignedIn();
        await world.restore();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('signed in and signed out: hostile path ids on every route that takes one', async () => {
    const withIds = world.routes.filter((route) => route.path.includes(':'));
    expect(withIds.length).toBeGreaterThanOrEqual(15);
    const own = new Set(world.ids.own);
    await fc.assert(
      fc.asyncProperty(pathIdText(world.ids), pathIdText(world.ids), fc.boolean(), fc.option(queryText(world.ids), { nil: '' }), async (first, second, signedIn, query) => {
        const problems = await Promise.all(
          withIds.map(async (route) => {
            let index = 0;
            // DELETE routes must not remove the fixtures: they get another id instead of the main user's own.
            const path = world.concrete(route, () => {
              const id = index++ === 0 ? first : second;
              return route.method === 'DELETE' && own.has(id) ? wireEncode(`${id}-kept`) : id;
            });
            return world.probe(route, {
              method: route.method,
              path: `${path}${query}`,
              headers: { ...JSON_HEADERS, ...(signedIn ? { cookie: await world.cookieFor(route) } : {}) },
              body: '{}',
            });
          }),
        );
        await world.expectClean(problems);
        await world.expectAlive();
        await world.expectSignedIn();
        await world.restore();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('signed in: content types, charsets, encodings, Accept and chunked bodies on every route that reads a body', async () => {
    const withBodies = world.routes.filter((route) => ['POST', 'PATCH', 'DELETE', 'PUT'].includes(route.method));
    const variant = fc.record({
      contentType: fc.option(contentTypeHeader, { nil: undefined }),
      contentEncoding: contentEncodingHeader,
      gzipForReal: fc.boolean(),
      accept: acceptHeader,
      charset: fc.constantFrom<BufferEncoding>('utf8', 'utf16le', 'latin1'),
      chunked: fc.boolean(),
      origin: fc.constantFrom(undefined, 'same', 'https://evil.example', 'null', ''),
      fetchSite: fc.constantFrom(undefined, 'same-origin', 'cross-site', 'none', 'same-site', 'bogus'),
      body: fieldsObjectText(world.ids),
    });
    await fc.assert(
      fc.asyncProperty(variant, async (input) => {
        let bytes = Buffer.from(input.body, input.charset);
        if (input.contentEncoding?.toLowerCase().includes('gzip') && input.gzipForReal) bytes = gzipSync(bytes);
        const headers: Record<string, string> = {};
        if (input.contentType !== undefined) headers['content-type'] = input.contentType;
        if (input.contentEncoding !== undefined) headers['content-encoding'] = input.contentEncoding;
        if (input.accept !== undefined) headers.accept = input.accept;
        if (input.chunked) headers['transfer-encoding'] = 'chunked';
        if (input.origin !== undefined) headers.origin = input.origin === 'same' ? app.baseUrl : input.origin;
        if (input.fetchSite !== undefined) headers['sec-fetch-site'] = input.fetchSite;
        const problems = await Promise.all(
          withBodies.map(async (route) =>
            world.probe(route, {
              method: route.method,
              path: world.concrete(route),
              headers: { ...headers, cookie: await world.cookieFor(route) },
              body: bytes,
            }),
          ),
        );
        await world.expectClean(problems);
        await world.expectAlive();
        await world.expectSignedIn();
        await world.restore();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);

  it('unknown paths and methods, HEAD and OPTIONS on every route: a 404/405 envelope or an empty answer, never a 5xx', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE');
    const junkPath = fc.oneof(
      fc.array(pathIdText(world.ids), { minLength: 1, maxLength: 4 }).map((segments) => `/api/${segments.join('/')}`),
      fc.array(pathIdText(world.ids), { minLength: 1, maxLength: 3 }).map((segments) => `/${segments.join('/')}`),
      fc.constantFrom(...world.routes.map((route) => world.concrete(route))).map((path) => `${path}/extra`),
      fc.constantFrom(...world.routes.map((route) => world.concrete(route))),
      fc.constantFrom('/api//threads', '//api/threads', '/api/threads/', '/API/THREADS', '/api/./threads', '/api/threads/../user', '/docs-json', '/health/'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(method, junkPath), { minLength: 1, maxLength: 12 }), fc.boolean(), async (requests, signedIn) => {
        // These requests may sign out or drop the key of whoever sends them: a fresh session of the spare user does.
        const cookie = signedIn ? await world.spareSession() : undefined;
        const problems = await Promise.all(
          requests.map(([verb, path]) =>
            world.probe(`${verb} ${path.slice(0, 80)}`, { method: verb, path, headers: cookie ? { cookie } : {} }),
          ),
        );
        await world.expectClean(problems);
        await world.expectAlive();
      }),
      settings(),
    );
  }, PROPERTY_TIMEOUT_MS);
});
