import { performance } from 'node:perf_hooks';
import { check, figure, withPlatform, type Scenario } from '../lib/context.js';
import type { BenchUser } from '../lib/fixture.js';
import { stream, type StreamResult } from '../lib/sse.js';
import { median, percentile, round } from '../lib/stats.js';
import { fillerText, QUESTION } from '../lib/turns.js';

const S = 'resume';
const STREAMS = 200;
const USERS = 20;
const DELTAS = 200;
const DELTA_DELAY_MS = 10;

interface StoredMessage {
  id: string;
  role: string;
  content: string;
  status: string;
}

interface Outcome {
  /** The text received before the drop and after the reattach, joined. */
  joined: string;
  first: StreamResult;
  second: StreamResult;
  /** Milliseconds from the reattaching request to its first token (the replay of what was missed). */
  reattachMs: number | undefined;
  stored: StoredMessage | undefined;
}

/** One client: a streamed turn dropped after `dropAfter` tokens, then GET /api/threads/:id/stream with Last-Event-ID to the end. */
async function dropAndReattach(url: string, user: BenchUser, threadId: string, dropAfter: number): Promise<Outcome> {
  const first = await stream({
    url: `${url}/api/chat`,
    body: { threadId, message: QUESTION, stream: true },
    headers: { cookie: user.cookie },
    tokenEvent: 'token',
    collectText: true,
    dropAfterTokens: dropAfter,
    timeoutMs: 120_000,
  });
  const second = await stream({
    url: `${url}/api/threads/${threadId}/stream`,
    headers: { cookie: user.cookie, ...(first.lastEventId ? { 'last-event-id': first.lastEventId } : {}) },
    tokenEvent: 'token',
    collectText: true,
    timeoutMs: 120_000,
  });
  const response = await fetch(`${url}/api/threads/${threadId}/messages?limit=10`, { headers: { cookie: user.cookie } });
  const messages = (await response.json()) as StoredMessage[];
  // The thread's newest assistant message: this turn's reply (the thread began with two earlier messages).
  const stored = Array.isArray(messages) ? messages.filter((message) => message.role === 'assistant').at(-1) : undefined;
  // 204: the reply ended before the client came back; a client then reads the rest from the stored message.
  const rest = second.status === 204 ? [...(stored?.content ?? '')].slice(Number(first.lastEventId ?? 0)).join('') : second.text;
  return { joined: first.text + rest, first, second, reattachMs: second.ttftMs, stored };
}

/**
 * Replies that outlive their connection: 200 concurrent streamed turns
 * (200 deltas 10 ms apart), each client dropping its connection after a
 * different number of tokens and reattaching at once with Last-Event-ID.
 * Every client must end with exactly the reply's text (no token lost, none
 * twice), equal to the stored reply; the time from reattaching to the first
 * replayed token is printed. TTFT is the `ttft` scenario's figure.
 */
export const resume: Scenario = async (context) => {
  const { fixture, fake } = context;
  await fake.setDefault({ tokens: DELTAS, deltaDelayMs: DELTA_DELAY_MS });
  const expected = fillerText(DELTAS);
  return withPlatform(context, S, {}, async (platform) => {
    const users = await fixture.ensureUsers(USERS, platform.url);
    const threads = async () => {
      const lists = await Promise.all(users.map((user) => fixture.createThreads(user, STREAMS / USERS, 2)));
      return lists.flatMap((ids, index) => ids.map((threadId) => ({ user: users[index], threadId })));
    };
    const warm = (await threads()).slice(0, 20);
    await Promise.all(warm.map(({ user, threadId }, index) => dropAndReattach(platform.url, user, threadId, 1 + index)));

    const rounds: Array<{ seconds: number; exact: number; storedEqual: number; dropped: number; endedBeforeReattach: number; reattachP50: number; reattachP99: number }> = [];
    const problems: string[] = [];
    for (let run = 0; run < context.runs; run++) {
      const turns = await threads();
      const started = performance.now();
      // Drops spread over the reply: after 1 to 190 tokens.
      const outcomes = await Promise.all(turns.map(({ user, threadId }, index) => dropAndReattach(platform.url, user, threadId, 1 + ((index * 37) % (DELTAS - 10)))));
      const seconds = (performance.now() - started) / 1000;
      let exact = 0;
      let storedEqual = 0;
      outcomes.forEach((outcome, index) => {
        if (outcome.joined === expected && (outcome.second.done || outcome.second.status === 204)) exact++;
        else if (problems.length < 5) {
          problems.push(
            `stream ${index}: ${outcome.first.tokens} + ${outcome.second.tokens} tokens, ${outcome.joined.length} of ${expected.length} chars, ` +
              `reattach status ${outcome.second.status} ${outcome.second.failure ?? ''}`,
          );
        }
        if (outcome.stored?.status === 'completed' && outcome.stored.content === outcome.joined) storedEqual++;
      });
      const reattach = outcomes.map((outcome) => outcome.reattachMs).filter((ms): ms is number => ms !== undefined);
      rounds.push({
        seconds: round(seconds, 2),
        exact,
        storedEqual,
        dropped: outcomes.filter((outcome) => outcome.first.dropped).length,
        endedBeforeReattach: outcomes.filter((outcome) => outcome.second.status === 204).length,
        reattachP50: round(percentile(reattach, 50), 1),
        reattachP99: round(percentile(reattach, 99), 1),
      });
      context.log(`  round ${run + 1}: ${JSON.stringify(rounds.at(-1))}`);
    }
    const med = (key: 'reattachP50' | 'reattachP99') => median(rounds.map((entry) => entry[key]));
    return {
      figures: [
        check(S, `every one of ${STREAMS} dropped clients got the whole reply once (no token lost or repeated)`, rounds.every((entry) => entry.exact === STREAMS && entry.dropped === STREAMS)),
        check(S, 'every stored reply equals what its client joined', rounds.every((entry) => entry.storedEqual === STREAMS)),
        figure(S, `reattach → first replayed token p50 @${STREAMS}`, med('reattachP50'), 'ms'),
        figure(S, `reattach → first replayed token p99 @${STREAMS}`, med('reattachP99'), 'ms'),
      ],
      details: { streams: STREAMS, deltas: DELTAS, deltaDelayMs: DELTA_DELAY_MS, rounds, problems },
    };
  });
};
