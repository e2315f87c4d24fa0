import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { BENCH_PASSWORD } from './fixture.js';
import { keepAliveAgent, manyKeysJson, multipart, multipartLength, MULTIPART_TYPE, send, sessionCookie, type Part, type Sent, type SendOptions } from './http.js';

const MIB = 1024 ** 2;
/** Just under the default UPLOAD_MAX_FILE_BYTES (20mb): ten of them fill one turn's 200mb budget. */
export const IMAGE_BYTES = 19 * MIB;
/** Over UPLOAD_MAX_FILE_BYTES. */
const OVERSIZED_IMAGE_BYTES = 25 * MIB;
/** Eleven 19 MiB files sent chunked: past UPLOAD_MAX_REQUEST_BYTES (200mb) on the 11th. */
const CHUNKED_FILES = 11;
/** JSON_MAX_KEYS is 128; 80,000 short keys are about 700 KB, under JSON_BODY_LIMIT (1mb). */
const HOSTILE_KEYS = 80_000;
const MAX_FILES_PER_REQUEST = 100;
const LOGIN_BURST = 20;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A "PNG" of `bytes` bytes, distinct by `tag`, built from one shared filler (nothing large is copied). */
function pngPieces(filler: Buffer, bytes: number, tag: string): Buffer[] {
  const head = Buffer.concat([PNG_SIGNATURE, Buffer.from(`bench-${tag}-${Date.now()}-${Math.random()}`.padEnd(64, '.'))]);
  const pieces: Buffer[] = [head];
  let left = bytes - head.length;
  while (left > 0) {
    const piece = left >= filler.length ? filler : filler.subarray(0, left);
    pieces.push(piece);
    left -= piece.length;
  }
  return pieces;
}

function parsed<T>(sent: Sent): T | undefined {
  try {
    return JSON.parse(sent.body) as T;
  } catch {
    return undefined;
  }
}

function fileIdsOf(sent: Sent): string[] {
  return parsed<{ fileIds?: string[] }>(sent)?.fileIds ?? [];
}

export interface AbuserOptions {
  baseUrl: string;
  /** The abuser's session cookie (replaced by a newer one when its own sign-ins end the old one). */
  cookie: string;
  email: string;
  /** The victim's e-mail: the target of the wrong-password flood. */
  victimEmail: string;
  /** Where the abuser connects from. */
  address: string;
  /** Other addresses the wrong-password flood also comes from (the e-mail's backoff, not one address's limit). */
  floodAddresses: string[];
}

interface Kind {
  name: string;
  /** At most this many runs of the action per phase. */
  max: number;
  workers: number;
  action: () => Promise<void>;
}

/**
 * One signed-in user doing everything the limits are there for, each abuse in
 * its own loop, bounded by count and by the phase's end. Every answer is
 * counted by abuse and status (0 = the connection ended without an answer).
 */
export class Abuser {
  /** abuse → status → answers. */
  readonly answers = new Map<string, Map<number, number>>();
  readonly examples = new Map<string, string>();
  private readonly filler = Buffer.alloc(MIB, 0x5a);
  private imageIds: string[] = [];
  private extraImageId: string | undefined;

  constructor(private readonly options: AbuserOptions) {
    // Every request in flight listens for the end of the phase.
    setMaxListeners(1_000, this.stop.signal);
  }

  /** Requests still going this long after the phase are abandoned (not counted). */
  private readonly stop = new AbortController();
  /** Requests abandoned at the end of the phase. */
  abandoned = 0;

  private record(kind: string, sent: Sent): Sent {
    if (sent.error === 'aborted') {
      this.abandoned++;
      return sent;
    }
    const byStatus = this.answers.get(kind) ?? new Map<number, number>();
    byStatus.set(sent.status, (byStatus.get(sent.status) ?? 0) + 1);
    this.answers.set(kind, byStatus);
    const key = `${kind} ${sent.status}`;
    if (!this.examples.has(key)) this.examples.set(key, sent.status === 0 ? (sent.error ?? '') : sent.body.slice(0, 200));
    return sent;
  }

  private async call(kind: string, options: Omit<SendOptions, 'url'> & { path: string; signedIn?: boolean }): Promise<Sent> {
    const headers = { ...options.headers, ...(options.signedIn === false ? {} : { cookie: this.options.cookie }) };
    const sent = await send({ localAddress: this.options.address, timeoutMs: 120_000, signal: this.stop.signal, ...options, url: `${this.options.baseUrl}${options.path}`, headers });
    return this.record(kind, sent);
  }

  private upload(kind: string, parts: Part[], chunked: boolean): Promise<Sent> {
    const headers: Record<string, string | number> = { 'content-type': MULTIPART_TYPE };
    if (!chunked) headers['content-length'] = multipartLength(parts);
    // Content-Length uploads are streamed too (a 200 MB body is never built in memory).
    return this.call(kind, { method: 'POST', path: '/api/upload', headers, body: () => multipart(parts), keepChars: 1_000_000 });
  }

  private images(count: number, bytes: number, tag: string): Part[] {
    return Array.from({ length: count }, (_, index) => ({
      field: 'files',
      filename: `${tag}-${index}.png`,
      contentType: 'image/png',
      content: pngPieces(this.filler, bytes, `${tag}-${index}`),
    }));
  }

  /** Ten 19 MiB images in one upload, then turns that carry them (new threads, and follow-ups whose history doubles them). */
  private async imageTurn(turn: number): Promise<void> {
    if (this.imageIds.length === 0) {
      const sent = await this.upload('upload 10 x 19 MiB images', this.images(10, IMAGE_BYTES, 'large'), false);
      const ids = sent.status === 201 ? fileIdsOf(sent) : [];
      if (ids.length < 10) return;
      this.imageIds = ids;
      const extra = await this.upload('upload 1 small image', this.images(1, 4_096, 'extra'), false);
      if (extra.status === 201) this.extraImageId = fileIdsOf(extra)[0];
    }
    const chat = (kind: string, body: Record<string, unknown>) =>
      this.call(kind, { method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), keepChars: 100_000 });
    const first = await chat('chat turn with 10 x 19 MiB images', { message: `Describe these (${turn}).`, fileIds: this.imageIds });
    const threadId = first.status === 201 || first.status === 200 ? parsed<{ threadId?: string }>(first)?.threadId : undefined;
    if (threadId) await chat('follow-up turn: 20 images, 380 MiB in history', { threadId, message: 'And these again?', fileIds: this.imageIds });
    if (this.extraImageId) await chat('chat turn with 11 images', { message: 'Eleven.', fileIds: [...this.imageIds, this.extraImageId] });
  }

  private kinds(): Kind[] {
    const json = { 'content-type': 'application/json' };
    let turn = 0;
    return [
      { name: 'image turns', max: 6, workers: 1, action: () => this.imageTurn(turn++) },
      { name: 'oversized image', max: 8, workers: 1, action: () => this.upload('upload a 25 MiB image', this.images(1, OVERSIZED_IMAGE_BYTES, 'oversized'), false).then(() => undefined) },
      {
        name: 'chunked past the request limit',
        max: 3,
        workers: 1,
        action: () => this.upload('chunked upload, 11 x 19 MiB, no Content-Length', this.images(CHUNKED_FILES, IMAGE_BYTES, 'chunked'), true).then(() => undefined),
      },
      {
        name: 'chunked past the file limit',
        max: 8,
        workers: 1,
        action: () => this.upload('chunked upload, one 25 MiB file', this.images(1, OVERSIZED_IMAGE_BYTES, 'chunked-one'), true).then(() => undefined),
      },
      {
        name: 'hostile JSON to /api/login',
        max: 150,
        workers: 3,
        action: async () => {
          const body = manyKeysJson(HOSTILE_KEYS, { email: this.options.email, password: BENCH_PASSWORD });
          await this.call('80,000-key JSON to POST /api/login (signed out)', { method: 'POST', path: '/api/login', headers: json, body, signedIn: false });
        },
      },
      {
        name: 'hostile JSON to a signed-in route',
        max: 150,
        workers: 3,
        action: async () => {
          await this.call('80,000-key JSON to POST /api/thread/new', { method: 'POST', path: '/api/thread/new', headers: json, body: manyKeysJson(HOSTILE_KEYS) });
        },
      },
      { name: 'own sign-ins', max: 8, workers: 1, action: () => this.burst(LOGIN_BURST, () => this.signIn()) },
      { name: 'wrong passwords', max: 8, workers: 1, action: () => this.burst(LOGIN_BURST, (index) => this.wrongPassword(index)) },
      {
        name: 'tiny files',
        max: 8,
        workers: 1,
        action: async () => {
          await this.upload(`${MAX_FILES_PER_REQUEST} tiny files in one upload`, this.tinyFiles(MAX_FILES_PER_REQUEST), false);
          await this.upload(`${MAX_FILES_PER_REQUEST + 1} tiny files in one upload`, this.tinyFiles(MAX_FILES_PER_REQUEST + 1), false);
        },
      },
      {
        name: 'multipart to a JSON route',
        max: 200,
        workers: 2,
        action: async () => {
          const parts = this.tinyFiles(3);
          await this.call('multipart to POST /api/thread/new', {
            method: 'POST',
            path: '/api/thread/new',
            headers: { 'content-type': MULTIPART_TYPE, 'content-length': multipartLength(parts) },
            body: () => multipart(parts),
          });
        },
      },
    ];
  }

  private tinyFiles(count: number): Part[] {
    return Array.from({ length: count }, (_, index) => ({
      field: 'files',
      filename: `note-${index}.txt`,
      contentType: 'text/plain',
      content: [Buffer.from(`tiny ${index} ${Math.random()}\n`)],
    }));
  }

  private async burst(size: number, one: (index: number) => Promise<unknown>): Promise<void> {
    await Promise.all(Array.from({ length: size }, (_, index) => one(index)));
  }

  private async signIn(): Promise<void> {
    const sent = await this.call('correct sign-in to own account (bursts of 20)', {
      method: 'POST',
      path: '/api/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: this.options.email, password: BENCH_PASSWORD }),
      signedIn: false,
      agent: keepAliveAgent,
    });
    // Signing in past SESSION_MAX_PER_USER ends the oldest session: carry on with the newest.
    const cookie = sessionCookie(sent);
    if (sent.status === 200 && cookie) this.options.cookie = cookie;
  }

  private async wrongPassword(index: number): Promise<void> {
    const addresses = [this.options.address, ...this.options.floodAddresses];
    await send({
      method: 'POST',
      url: `${this.options.baseUrl}/api/login`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: this.options.victimEmail, password: `wrong-${index}-${Math.random()}` }),
      localAddress: addresses[index % addresses.length],
      agent: keepAliveAgent,
      signal: this.stop.signal,
      timeoutMs: 60_000,
    }).then((sent) => this.record("wrong password for the victim's e-mail (bursts of 20)", sent));
  }

  /**
   * Every abuse in its own loop(s) until `until` (performance.now) or its count
   * is reached; what is still going `graceMs` later is abandoned.
   */
  async run(until: number, graceMs: number): Promise<{ actions: number; seconds: number; abandoned: number }> {
    const started = performance.now();
    const stopper = setTimeout(() => this.stop.abort(), Math.max(0, until - started) + graceMs);
    let actions = 0;
    // BENCH_ABUSES=name,name: only the abuses whose names contain one of these (to see what each costs the victim).
    const only = process.env.BENCH_ABUSES?.split(',').filter(Boolean);
    const kinds = this.kinds().filter((kind) => !only || only.some((name) => kind.name.includes(name)));
    await Promise.all(
      kinds.flatMap((kind) => {
        let started = 0;
        return Array.from({ length: kind.workers }, async () => {
          while (started < kind.max && performance.now() < until && !this.stop.signal.aborted) {
            started++;
            actions++;
            await kind.action();
          }
        });
      }),
    );
    clearTimeout(stopper);
    return { actions, seconds: (performance.now() - started) / 1000, abandoned: this.abandoned };
  }

  /** "413 x 3, 0 x 1" per abuse. */
  summary(): Record<string, string> {
    return Object.fromEntries(
      [...this.answers].map(([kind, byStatus]) => [kind, [...byStatus].sort((a, b) => a[0] - b[0]).map(([status, count]) => `${status} x ${count}`).join(', ')]),
    );
  }

  /** Answers by status over every abuse. */
  byStatus(): Map<number, number> {
    const total = new Map<number, number>();
    for (const byStatus of this.answers.values()) for (const [status, count] of byStatus) total.set(status, (total.get(status) ?? 0) + count);
    return total;
  }
}
