import { DomainError } from '../common/errors/domain-error.js';
import type { LlmEvent } from '../llm/llm-types.js';
import { CollectedEvents, executorFixture, USER } from './testing/executor-fixture.js';

const delta = (text: string): LlmEvent => ({ type: 'delta', text });
const completed: LlmEvent = { type: 'completed', responseId: 'resp_1', model: 'gpt-4o', usage: { inputTokens: 10, outputTokens: 4, totalTokens: 14 } };
const never = () => new AbortController().signal;

describe('turn executor', () => {
  it('stores a whole reply once with its usage and cost, moves the thread totals, ends the run, and sends the title in time', async () => {
    const { executor, store, chatTurn, writes } = executorFixture([{ batches: [[delta('Salt '), delta('comes')], [delta(' from rocks.'), completed]] }]);
    const turn = await chatTurn('Why is the sea salty?');
    const events = new CollectedEvents();
    const result = await executor.execute(turn, turn.replyToId, events, never());

    expect(events.log).toEqual(['token:Salt comes', 'token: from rocks.', 'message_completed', 'title:Salt in the sea']);
    expect(result.reply).toMatchObject({ id: turn.run.replyId, content: 'Salt comes from rocks.', status: 'completed', inputTokens: 10, outputTokens: 4 });
    expect(result.reply?.cost).toBeGreaterThan(0);
    // The user's message, then the reply: every message row goes through the one writer.
    expect(writes.map((write) => [write.role, write.status])).toEqual([
      ['user', 'completed'],
      ['assistant', 'completed'],
    ]);
    expect(store.threads.get(turn.thread.id)).toMatchObject({ messageCount: 2, inputTokens: 10, outputTokens: 4, title: 'Salt in the sea' });
    expect(store.runs[0]).toMatchObject({ status: 'completed', errorCode: null });
  });

  it('retries a failure before the first token by the shared rule, but not a timeout', async () => {
    const retried = executorFixture([{ fail: new DomainError('upstream_unavailable', 'down') }, { batches: [[delta('Back.'), completed]] }]);
    const turn = await retried.chatTurn('Hello?');
    const result = await retried.executor.execute(turn, null, new CollectedEvents(), never());
    expect(result.reply?.content).toBe('Back.');
    expect(retried.llm.requests).toHaveLength(2);
    expect(retried.upstreamFailures).toEqual(['upstream_unavailable']);

    const timedOut = executorFixture([{ fail: new DomainError('upstream_timeout', 'slow') }, { batches: [[delta('Too late.'), completed]] }]);
    const slowTurn = await timedOut.chatTurn('Hello?');
    const events = new CollectedEvents();
    const failed = await timedOut.executor.execute(slowTurn, null, events, never());
    expect(timedOut.llm.requests).toHaveLength(1);
    expect(failed.error?.code).toBe('upstream_timeout');
    expect(failed.reply).toBeNull();
    expect(events.log).toEqual(['error:upstream_timeout']);
    expect(timedOut.store.runs[0]).toMatchObject({ status: 'failed', errorCode: 'upstream_timeout' });
  });

  it('keeps the text that arrived as incomplete when the reply breaks off after it, without a retry', async () => {
    const { executor, store, chatTurn, llm } = executorFixture([
      { batches: [[delta('Half an ')], [{ type: 'failed', responseId: null, code: 'server_error', message: 'boom' }]] },
    ]);
    const turn = await chatTurn('Tell me');
    const result = await executor.execute(turn, null, new CollectedEvents(), never());
    expect(llm.requests).toHaveLength(1);
    expect(result.error?.code).toBe('upstream_error');
    expect(result.reply).toMatchObject({ content: 'Half an ', status: 'incomplete', statusReason: 'upstream_error' });
    expect(store.threads.get(turn.thread.id)?.messageCount).toBe(2);
  });

  it('stops on a cancel: the partial reply is kept as cancelled and the run ends cancelled', async () => {
    const { executor, store, chatTurn, registry } = executorFixture([{ batches: [[delta('Once upon ')]], hang: true }]);
    const turn = await chatTurn('A story');
    const events = new CollectedEvents();
    const running = executor.execute(turn, null, events, never());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(registry.inFlight).toBe(1);
    expect(registry.stop(turn.run.id, 'cancelled')).toBe(true);
    const result = await running;
    expect(result.error).toBeNull();
    expect(result.reply).toMatchObject({ content: 'Once upon ', status: 'cancelled', statusReason: 'cancelled' });
    expect(events.log).toEqual(['token:Once upon ', 'message_completed']);
    expect(store.runs[0]).toMatchObject({ status: 'cancelled', errorCode: 'cancelled' });
    expect(registry.inFlight).toBe(0);
  });

  it('ends the rest on shutdown with server_shutting_down once the grace period is over', async () => {
    const { executor, chatTurn, registry } = executorFixture([{ batches: [[delta('Partial')]], hang: true }]);
    const turn = await chatTurn('Slow');
    const events = new CollectedEvents();
    const running = executor.execute(turn, null, events, never());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await registry.drain(50)).toBe(false);
    await registry.stopRemaining();
    const result = await running;
    expect(result.error?.code).toBe('server_shutting_down');
    expect(result.reply).toMatchObject({ status: 'incomplete', statusReason: 'server_shutting_down' });
    expect(events.log.at(-1)).toBe('error:server_shutting_down');
    expect(await registry.drain(50)).toBe(true);
  });

  it('keeps a regenerated reply beside the one it replaces, as the active leaf, with the counters of the active branch', async () => {
    const { executor, store, chatTurn, llm } = executorFixture([{ batches: [[delta('First.'), completed]] }, { batches: [[delta('Second.'), completed]] }]);
    const turn = await chatTurn('Question');
    const first = await executor.execute(turn, null, new CollectedEvents(), never());
    const run = { id: 'b1f0c7de-0000-4000-8000-000000000001', replyId: 'b1f0c7de-0000-4000-8000-000000000002' };
    store.runs.push({ ...store.runs[0], id: run.id, assistantMessageId: run.replyId, status: 'running', kind: 'regenerate' });
    const again = { ...turn, run, kind: 'regenerate' as const, parentId: turn.replyToId!, titleFrom: null };
    const second = await executor.execute(again, null, new CollectedEvents(), never());
    expect(second.reply?.content).toBe('Second.');
    // The replaced reply is not in the new request's context.
    expect(llm.requests[1].input.map((message) => message.content)).toEqual(['Question']);
    expect(store.messages.find((message) => message.id === first.reply!.id)).toMatchObject({ status: 'completed', parentId: turn.replyToId });
    expect(store.messages.find((message) => message.id === second.reply!.id)).toMatchObject({ parentId: turn.replyToId, depth: 2 });
    expect(store.messages.filter((message) => message.userId === USER)).toHaveLength(3);
    expect(store.threads.get(turn.thread.id)).toMatchObject({ activeLeafId: second.reply!.id, messageCount: 2, treeSize: 3 });
  });

  it('goes on when its client disconnects, stores the whole reply and announces its end', async () => {
    const { executor, store, chatTurn, announced } = executorFixture([{ batches: [[delta('Still ')], [delta('here.'), completed]] }]);
    const turn = await chatTurn('Keep going');
    const gone = new AbortController();
    gone.abort();
    const result = await executor.execute(turn, null, new CollectedEvents(), gone.signal);
    expect(result.reply).toMatchObject({ content: 'Still here.', status: 'completed' });
    expect(store.runs[0]).toMatchObject({ status: 'completed' });
    expect(announced).toContain(turn.run.id);
  });

  it('stops with its client when CHAT_CONTINUE_ON_DISCONNECT is false', async () => {
    const { executor, chatTurn } = executorFixture([{ batches: [[delta('Cut ')]], hang: true }], { CHAT_CONTINUE_ON_DISCONNECT: 'false' });
    const turn = await chatTurn('Stop with me');
    const gone = new AbortController();
    const running = executor.execute(turn, null, new CollectedEvents(), gone.signal);
    await new Promise((resolve) => setTimeout(resolve, 20));
    gone.abort();
    const result = await running;
    expect(result.reply).toMatchObject({ content: 'Cut ', status: 'incomplete', statusReason: 'client_disconnected' });
  });

  it('writes the partial reply often only once its client has gone (it may attach again); on the heartbeat while it is connected', async () => {
    const batches = Array.from({ length: 8 }, (_, index) => [delta(`part${index} `)]);
    const connected = executorFixture([{ batches: [...batches, [completed]], delayMs: 25 }], { CHAT_STREAM_FLUSH_MS: '20' });
    const quiet = await connected.chatTurn('Stay');
    await connected.executor.execute(quiet, null, new CollectedEvents(), never());
    expect(connected.writes.filter((write) => write.status === 'streaming')).toEqual([]);

    const left = executorFixture([{ batches: [...batches, [completed]], delayMs: 25 }], { CHAT_STREAM_FLUSH_MS: '20' });
    const turn = await left.chatTurn('Go');
    const gone = new AbortController();
    setTimeout(() => gone.abort(), 60);
    const result = await left.executor.execute(turn, null, new CollectedEvents(), gone.signal);
    const progress = left.writes.filter((write) => write.status === 'streaming');
    expect(progress.length).toBeGreaterThan(2);
    // Each write is the text so far: it only grows, up to the whole reply stored at the end.
    progress.forEach((write, index) => index > 0 && expect(write.content.startsWith(progress[index - 1].content)).toBe(true));
    expect(result.reply).toMatchObject({ status: 'completed', content: batches.map(([event]) => (event as { text: string }).text).join('') });
    expect(left.announced.length).toBeGreaterThan(progress.length);
  });
});
