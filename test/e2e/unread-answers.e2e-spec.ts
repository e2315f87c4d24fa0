import { jest } from '@jest/globals';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import { UnreadAnswers } from '../../src/common/http/unread-answers.js';
import { eventually } from '../support/eventually.js';
import { registerUserWithKey } from '../support/platform-api.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** About 20 MB of JSON: more than the kernel's buffers on both ends of a local connection hold. */
const ASSISTANTS = 80;
const INSTRUCTIONS = 256_000;

interface Asked {
  socket: Socket;
  /** Everything received once reading resumes, until the connection ends. */
  rest(): Promise<{ bodyBytes: number; contentLength: number }>;
}

/** Asks for the user's assistants on a raw connection and reads nothing until `rest()`. */
function askWithoutReading(app: TestApp, cookie: string): Promise<Asked> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(app.baseUrl).port), '127.0.0.1', () => {
      socket.pause();
      socket.write(`GET /api/assistants HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\n\r\n`);
      resolve({
        socket,
        rest: () =>
          new Promise((done) => {
            let head = Buffer.alloc(0);
            let contentLength = Number.NaN;
            let bodyBytes = 0;
            socket.on('data', (chunk: Buffer) => {
              if (Number.isNaN(contentLength)) {
                head = Buffer.concat([head, chunk]);
                const headerEnd = head.indexOf('\r\n\r\n');
                if (headerEnd < 0) return;
                contentLength = Number(/content-length: (\d+)/i.exec(head.subarray(0, headerEnd).toString('latin1'))?.[1]);
                bodyBytes = head.length - headerEnd - 4;
              } else {
                bodyBytes += chunk.length;
              }
              // A complete answer on a kept-alive connection: end it from this side once it is all here.
              if (bodyBytes >= contentLength) socket.end();
            });
            // A connection the server closed with bytes unsent may end in a reset: what arrived is what counts.
            socket.on('error', () => undefined);
            socket.once('close', () => done({ bodyBytes, contentLength }));
            socket.resume();
          }),
      });
    });
    socket.once('error', reject);
  });
}

/**
 * The answers the server parked (complete on its side, bytes still waiting), in order: the tests
 * wait for the server's steps rather than for a guessed time, which a busy machine can outlast.
 */
const parked = jest.spyOn(UnreadAnswers.prototype as unknown as { park(request: unknown, response: ServerResponse): void }, 'park');

function nthParked(n: number): Promise<ServerResponse> {
  return eventually(() => parked.mock.calls[n - 1]?.[1], { timeoutMs: 30_000, describe: () => ({ parked: parked.mock.calls.length }) });
}

async function closed(response: ServerResponse): Promise<void> {
  if (!response.destroyed) await once(response, 'close');
}

async function userWithLargeList(app: TestApp) {
  const user = await registerUserWithKey(app.baseUrl);
  await app.dataSource.query(
    `INSERT INTO assistants (user_id, name, model, instructions, tools, metadata) SELECT $1, 'Large ' || g, 'gpt-4o-mini', repeat('x', $2), '[]', '{}' FROM generate_series(1, $3) g`,
    [user.userId, INSTRUCTIONS, ASSISTANTS],
  );
  return user;
}

describe('complete answers a client leaves unread', () => {
  describe('with nothing taken for ANSWER_STALL_MS', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ fake: true, env: { ANSWER_STALL_MS: '300', ASSISTANTS_MAX_PER_USER: '1000' } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('close their connection, and an answer read at once is whole', async () => {
      const user = await userWithLargeList(app);
      parked.mockClear();
      const stalled = await askWithoutReading(app, user.cookie);
      // The whole answer is written on the server's side, then closed once nothing is taken for the stall time.
      await closed(await nthParked(1));
      const { bodyBytes, contentLength } = await stalled.rest();
      expect(contentLength).toBeGreaterThan(ASSISTANTS * INSTRUCTIONS);
      expect(bodyBytes).toBeLessThan(contentLength);

      const read = await askWithoutReading(app, user.cookie);
      const whole = await read.rest();
      expect(whole.bodyBytes).toBe(whole.contentLength);
    });
  });

  describe('past ANSWER_UNREAD_BYTES_PER_CLIENT', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({ fake: true, env: { ANSWER_STALL_MS: '60000', ANSWER_UNREAD_BYTES_PER_CLIENT: '12mb', ASSISTANTS_MAX_PER_USER: '1000' } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it("close the client's oldest unread answer first", async () => {
      const user = await userWithLargeList(app);
      parked.mockClear();
      const first = await askWithoutReading(app, user.cookie);
      const firstAnswer = await nthParked(1);
      const second = await askWithoutReading(app, user.cookie);
      // Parking the second puts the client past its bound: the older answer is closed.
      await nthParked(2);
      await closed(firstAnswer);
      const [older, newer] = await Promise.all([first.rest(), second.rest()]);
      expect(older.bodyBytes).toBeLessThan(older.contentLength);
      expect(newer.bodyBytes).toBe(newer.contentLength);
    });
  });
});
