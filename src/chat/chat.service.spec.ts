import { IGNORED_EVENTS, chatFixture } from './testing/chat-fixture.js';

const ALICE = 'a0000000-0000-4000-8000-000000000001';
const BOB = 'b0000000-0000-4000-8000-000000000002';
const ASSISTANT = 'c0000000-0000-4000-8000-000000000003';
const OTHER_ASSISTANT = 'c0000000-0000-4000-8000-000000000004';

function withUsers(env: Record<string, string> = {}) {
  const fixture = chatFixture(env);
  for (const userId of [ALICE, BOB]) {
    fixture.scopes.users.set(userId, { id: userId, apiKeyCiphertext: null, apiKeyKeyId: null, apiKeyVersion: 1, defaultAssistantId: userId === ALICE ? ASSISTANT : null, budgetOverride: null });
  }
  const assistant = { name: 'Helper', isActive: true, model: 'gpt-4o', instructions: null, temperature: null, tools: [], vectorStoreId: null };
  fixture.scopes.assistants.set(ASSISTANT, { ...assistant, id: ASSISTANT, userId: ALICE });
  fixture.scopes.assistants.set(OTHER_ASSISTANT, { ...assistant, id: OTHER_ASSISTANT, userId: ALICE });
  return fixture;
}

const gone = () => new AbortController().signal;

describe('chat entry points', () => {
  it('starts a thread with the user message stored first, and hands the executor a turn that needs no further reads', async () => {
    const { chat, store, executor, messages, turnsTaken } = withUsers();
    const created: string[] = [];
    const result = await chat.chat(ALICE, { message: 'Why is the sea salty?' }, { ...IGNORED_EVENTS, messageCreated: (message) => created.push(message.content) }, gone());
    const thread = store.threads.get(result.threadId)!;
    expect(thread).toMatchObject({ userId: ALICE, assistantId: ASSISTANT, messageCount: 1, title: null });
    expect(created).toEqual(['Why is the sea salty?']);
    expect(messages.writes).toHaveLength(1);
    expect(turnsTaken).toEqual([ALICE]);
    const [turn] = executor.turns;
    expect(turn).toMatchObject({ kind: 'chat', replyToId: result.userMessageId, parentId: result.userMessageId, titleFrom: 'Why is the sea salty?' });
    expect(turn.history?.map((message) => message.content)).toEqual(['Why is the sea salty?']);
    expect(store.runs).toEqual([expect.objectContaining({ threadId: thread.id, status: 'running', assistantMessageId: turn.run.replyId })]);
  });

  it('reuses the history read with the scope when nothing moved before the claim, and moves the thread to the assistant asked for', async () => {
    const { chat, store, executor, runsRepository } = withUsers();
    const first = await chat.chat(ALICE, { message: 'One' }, IGNORED_EVENTS, gone());
    await runsRepository.finish(ALICE, executor.turns[0].run.id, 'completed', null);
    await chat.chat(ALICE, { threadId: first.threadId, assistantId: OTHER_ASSISTANT, message: 'Two' }, IGNORED_EVENTS, gone());
    const second = executor.turns[1];
    expect(second.history?.map((message) => message.content)).toEqual(['One', 'Two']);
    expect(second.titleFrom).toBeNull();
    expect(store.threads.get(first.threadId)).toMatchObject({ assistantId: OTHER_ASSISTANT, messageCount: 2 });
  });

  it('answers without an assistant when none is asked for, on the thread or by default: the plain chat on CHAT_DEFAULT_MODEL', async () => {
    const { chat, store, executor } = withUsers({ CHAT_DEFAULT_MODEL: 'gpt-4.1-nano' });
    const first = await chat.chat(BOB, { message: 'Just chatting' }, IGNORED_EVENTS, gone());
    expect(store.threads.get(first.threadId)).toMatchObject({ userId: BOB, assistantId: null, messageCount: 1 });
    expect(executor.turns[0].assistant).toEqual({
      id: null,
      name: 'Plain chat',
      isActive: true,
      model: 'gpt-4.1-nano',
      instructions: null,
      temperature: null,
      tools: [],
      vectorStoreId: null,
    });
    expect(executor.turns[0].thread.assistantId).toBeNull();
  });

  it('refuses a turn without an assistant (400 no_assistant) when CHAT_WITHOUT_ASSISTANT is off, storing nothing', async () => {
    const { chat, store } = withUsers({ CHAT_WITHOUT_ASSISTANT: 'false' });
    await expect(chat.chat(BOB, { message: 'Anyone?' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'no_assistant' });
    expect(store.threads.size).toBe(0);
    expect(store.messages).toEqual([]);
  });

  it('answers 409 while a reply is running, storing nothing, and takes over a run whose heartbeat went stale', async () => {
    const { chat, store, executor } = withUsers({ RUN_STALE_AFTER_SECONDS: '5' });
    const first = await chat.chat(ALICE, { message: 'One' }, IGNORED_EVENTS, gone());
    await expect(chat.chat(ALICE, { threadId: first.threadId, message: 'Two' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'run_in_progress' });
    expect(store.messages.map((message) => message.content)).toEqual(['One']);
    expect(store.threads.get(first.threadId)?.messageCount).toBe(1);

    // The process running it died: a half-written reply, and a heartbeat long past.
    const stale = store.runs[0];
    stale.heartbeatAt = new Date(Date.now() - 60_000);
    store.messages.push({ ...store.messages[0], id: stale.assistantMessageId!, seq: 99, role: 'assistant', content: 'Half', status: 'streaming' });
    await chat.chat(ALICE, { threadId: first.threadId, message: 'Two' }, IGNORED_EVENTS, gone());
    expect(stale).toMatchObject({ status: 'failed', errorCode: 'abandoned' });
    expect(store.messages.find((message) => message.id === stale.assistantMessageId)).toMatchObject({ status: 'incomplete', statusReason: 'interrupted' });
    // The history is read again after the claim: the run was busy when the scope was read.
    expect(executor.turns[1].history).toBeUndefined();
  });

  it('refuses every new turn once the server is shutting down, before anything is counted or stored', async () => {
    const { chat, shutdown, store, turnsTaken } = withUsers();
    shutdown.begin();
    await expect(chat.chat(ALICE, { message: 'Hi' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'server_shutting_down' });
    await expect(chat.run(ALICE, 'any', {}, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'server_shutting_down' });
    await expect(chat.regenerate(ALICE, 'any', {}, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'server_shutting_down' });
    expect(turnsTaken).toEqual([]);
    expect(store.threads.size).toBe(0);
  });

  it('runs a thread only when it has messages, answering its last user message without storing one', async () => {
    const { chat, executor, threads, runsRepository, store, messages } = withUsers();
    const empty = await threads.insert(ALICE, { assistantId: ASSISTANT, title: null });
    await expect(chat.run(ALICE, empty.id, {}, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'bad_request' });
    const first = await chat.chat(ALICE, { message: 'Question' }, IGNORED_EVENTS, gone());
    await runsRepository.finish(ALICE, executor.turns[0].run.id, 'completed', null);
    await chat.run(ALICE, first.threadId, {}, IGNORED_EVENTS, gone());
    expect(executor.turns[1]).toMatchObject({ kind: 'run', replyToId: first.userMessageId, parentId: first.userMessageId, titleFrom: null });
    expect(executor.turns[1].history).toBeUndefined();
    expect(messages.writes).toHaveLength(1);
    expect(store.threads.get(first.threadId)?.messageCount).toBe(1);
    await expect(chat.run(BOB, first.threadId, {}, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'not_found' });
  });

  it('regenerates the reply to the last user message as a sibling of the reply after it, and refuses when there is no question', async () => {
    const { chat, executor, store, runsRepository, threads } = withUsers();
    const empty = await threads.insert(ALICE, { assistantId: ASSISTANT, title: null });
    await expect(chat.regenerate(ALICE, empty.id, {}, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'nothing_to_regenerate' });

    const first = await chat.chat(ALICE, { message: 'Question' }, IGNORED_EVENTS, gone());
    const chatTurn = executor.turns[0];
    store.messages.push({ ...store.messages[0], id: chatTurn.run.replyId, seq: 50, role: 'assistant', content: 'Answer', parentId: first.userMessageId, depth: 2 });
    store.threads.get(first.threadId)!.activeLeafId = chatTurn.run.replyId;
    await runsRepository.finish(ALICE, chatTurn.run.id, 'completed', null);
    await chat.regenerate(ALICE, first.threadId, {}, IGNORED_EVENTS, gone());
    // The new reply goes under the question, beside the old one; the input ends with the question.
    expect(executor.turns[1]).toMatchObject({ kind: 'regenerate', replyToId: first.userMessageId, parentId: first.userMessageId });
    expect(executor.turns[1].history).toBeUndefined();
  });

  it('edits a user message into a sibling that becomes the active leaf, up to CHAT_MAX_MESSAGE_VERSIONS; replies and other users are refused', async () => {
    const { chat, executor, store, runsRepository } = withUsers({ CHAT_MAX_MESSAGE_VERSIONS: '2' });
    const first = await chat.chat(ALICE, { message: 'Question' }, IGNORED_EVENTS, gone());
    const reply = { ...store.messages[0], id: executor.turns[0].run.replyId, seq: 50, role: 'assistant' as const, content: 'Answer', parentId: first.userMessageId, depth: 2 };
    store.messages.push(reply);
    await runsRepository.finish(ALICE, executor.turns[0].run.id, 'completed', null);
    await expect(chat.edit(ALICE, first.threadId, reply.id, { content: 'No' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'bad_request' });

    const edited = await chat.edit(ALICE, first.threadId, first.userMessageId!, { content: 'Better question' }, IGNORED_EVENTS, gone());
    expect(store.messages.find((message) => message.id === edited.userMessageId)).toMatchObject({ content: 'Better question', parentId: null, depth: 1 });
    expect(executor.turns[1]).toMatchObject({ kind: 'edit', parentId: edited.userMessageId, replyToId: edited.userMessageId, titleFrom: null });
    expect(store.threads.get(first.threadId)).toMatchObject({ activeLeafId: edited.userMessageId, messageCount: 1, treeSize: 2 });
    await runsRepository.finish(ALICE, executor.turns[1].run.id, 'completed', null);

    await expect(chat.edit(ALICE, first.threadId, first.userMessageId!, { content: 'Third' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({
      code: 'too_many_versions',
    });
    await expect(chat.edit(BOB, first.threadId, first.userMessageId!, { content: 'Mine now' }, IGNORED_EVENTS, gone())).rejects.toMatchObject({ code: 'not_found' });
    expect(store.messages).toHaveLength(3);
    expect(executor.turns).toHaveLength(2);
  });

  it("cancels the thread's running reply through the other instances, and answers 409 when nothing runs", async () => {
    const { chat, executor, runsRepository, store } = withUsers();
    const first = await chat.chat(ALICE, { message: 'Long one' }, IGNORED_EVENTS, gone());
    const runId = executor.turns[0].run.id;
    // Not executing on this instance: the cancel goes out as a notification; the instance running it ends it.
    const ended = setTimeout(() => void runsRepository.finish(ALICE, runId, 'cancelled', 'cancelled'), 100);
    await expect(chat.cancel(ALICE, first.threadId)).resolves.toEqual({ runId, status: 'cancelled' });
    clearTimeout(ended);
    expect(runsRepository.notified).toEqual([{ channel: 'run_cancel', payload: runId }]);
    expect(store.runs[0].cancelRequested).toBe(true);
    await expect(chat.cancel(ALICE, first.threadId)).rejects.toMatchObject({ code: 'no_run_in_progress' });
    await expect(chat.cancel(BOB, first.threadId)).rejects.toMatchObject({ code: 'not_found' });
  });
});
