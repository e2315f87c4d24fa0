import type { BenchUser } from './fixture.js';
import type { FakeProvider, Platform } from './processes.js';
import { stream, type StreamResult } from './sse.js';

export const QUESTION = 'How fast is this platform? Answer in a few words.';

/** POST /api/chat with stream: true on an existing thread. */
export function chatTurn(platform: Platform, user: BenchUser, threadId: string, options: { collectText?: boolean; timeoutMs?: number } = {}): Promise<StreamResult> {
  return stream({
    url: `${platform.url}/api/chat`,
    body: { threadId, message: QUESTION, stream: true },
    headers: { cookie: user.cookie },
    tokenEvent: 'token',
    collectText: options.collectText,
    timeoutMs: options.timeoutMs,
  });
}

/** The same model request sent straight to the fake provider (what the platform sends upstream). */
export function directTurn(fake: FakeProvider, body: Record<string, unknown>): Promise<StreamResult> {
  return stream({
    url: `${fake.baseUrl}/responses`,
    body: { ...body, stream: true },
    headers: { authorization: 'Bearer sk-bench-direct' },
    tokenEvent: 'response.output_text.delta',
  });
}

/** `concurrency` workers, each running `perWorker` tasks one after another. */
export async function runWorkers<T>(concurrency: number, perWorker: number, task: (worker: number, index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let index = 0; index < perWorker; index++) results.push(await task(worker, index));
    }),
  );
  return results;
}

export function assertStreamOk(result: StreamResult, what: string): void {
  if (result.failure || result.ttftMs === undefined || (result.status !== 200 && result.status !== 0)) {
    throw new Error(`${what}: ${result.failure ?? 'no token'} (status ${result.status})`);
  }
}

/** The filler text the fake generates for `tokens` deltas (see fake-openai/reply-plan.ts). */
export function fillerText(tokens: number): string {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit'];
  return Array.from({ length: tokens }, (_, index) => (index === 0 ? '' : ' ') + words[index % words.length]).join('');
}
