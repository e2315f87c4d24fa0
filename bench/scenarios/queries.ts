import { captureRequests } from '../lib/capture.js';
import { figure, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { BENCH_PASSWORD } from '../lib/fixture.js';
import { chatTurn } from '../lib/turns.js';

const S = 'queries';

/**
 * Diagnostic (no targets): the PostgreSQL round trips and statements behind
 * one request of each kind the figures measure, recorded by a wire-protocol
 * proxy between the platform and the database.
 */
export const queries: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault({ tokens: 10 });
  let user!: BenchUser;
  let threadId!: string;
  let chatThreads: string[] = [];
  const captured = await captureRequests(
    context,
    S,
    [
      { name: 'GET /health', run: (platform) => fetch(`${platform.url}/health`).then((r) => r.arrayBuffer()) },
      { name: 'GET /api/threads', run: (platform) => fetch(`${platform.url}/api/threads`, { headers: { cookie: user.cookie } }).then((r) => r.arrayBuffer()) },
      {
        name: 'GET /api/threads/:id/messages',
        run: (platform) => fetch(`${platform.url}/api/threads/${threadId}/messages?limit=50`, { headers: { cookie: user.cookie } }).then((r) => r.arrayBuffer()),
      },
      { name: 'POST /api/chat (stream)', run: (platform) => chatTurn(platform, user, chatThreads.pop()!) },
      {
        name: 'POST /api/login',
        run: (platform) =>
          fetch(`${platform.url}/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: user.email, password: BENCH_PASSWORD }),
          }).then((r) => r.arrayBuffer()),
      },
    ],
    async (platform) => {
      [user] = await fixture.namedUsers(['queries'], platform.url);
      const threads = await fixture.createThreads(user, 20, 0);
      threadId = threads[0];
      await fixture.addMessages(user, [threadId], 50);
      chatThreads = await fixture.createThreads(user, 4, 2);
    },
  );
  for (const request of captured) {
    const ttft = (request.value as { ttftMs?: number } | undefined)?.ttftMs;
    context.log(
      `\n  ${request.name}: ${request.roundTrips} round trips${request.afterResponse ? ` (+${request.afterResponse} after the response)` : ''}` +
        `${ttft !== undefined ? `, first token at ${ttft.toFixed(1)} ms` : ''}`,
    );
    request.statements.forEach((statement, index) =>
      context.log(`    ${request.offsetsMs[index].toFixed(1).padStart(7)} ms [c${statement.connection}] ${statement.sql.replace(/\s+/g, ' ').slice(0, 140)}`),
    );
  }
  return {
    figures: captured.map((request) => figure(S, `${request.name}: database round trips in the request`, request.roundTrips, 'round trips')),
    details: {
      requests: captured.map((request) => ({
        name: request.name,
        roundTrips: request.roundTrips,
        afterResponse: request.afterResponse,
        firstTokenMs: (request.value as { ttftMs?: number } | undefined)?.ttftMs,
        statements: request.statements.map((statement, index) => ({
          atMs: request.offsetsMs[index],
          connection: statement.connection,
          sql: statement.sql.replace(/\s+/g, ' ').trim(),
        })),
      })),
    },
  };
};
