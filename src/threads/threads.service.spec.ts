import { unitConfig } from '../config/testing/unit-config.js';
import type { AssistantsService } from '../assistants/assistants.service.js';
import type { UsersService } from '../auth/users.service.js';
import type { Transactions } from '../database/sql.js';
import type { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { BranchLimits } from './branch-limits.js';
import type { BranchRepository } from './branch.repository.js';
import type { MessagesRepository } from './messages.repository.js';
import { InMemoryBranches } from './testing/in-memory-branches.js';
import { asReal, ConversationStore, InMemoryThreads, InMemoryTransactions } from './testing/in-memory-conversations.js';
import { InMemoryMessages } from './testing/in-memory-messages.js';
import type { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

const ALICE = 'a0000000-0000-4000-8000-000000000001';
const BOB = 'b0000000-0000-4000-8000-000000000002';
const ASSISTANT = 'c0000000-0000-4000-8000-000000000003';

function setup(env: Record<string, string> = {}) {
  const config = unitConfig(env);
  const store = new ConversationStore();
  const threads = new InMemoryThreads(store);
  const messages = new InMemoryMessages(store);
  const files = new Map<string, StoredFile>();
  const filesService = {
    findOwnedMany: async (userId: string, ids: string[]) => ids.flatMap((id) => (files.get(id)?.userId === userId ? [files.get(id)!] : [])),
    findExisting: async (userId: string, ids: string[]) => ids.flatMap((id) => (files.get(id)?.userId === userId ? [files.get(id)!] : [])),
  } as unknown as FilesService;
  const assistants = {
    findUsable: async (_userId: string, id: string) => ({ id }),
    findOwned: async (_userId: string, id: string) => ({ id }),
  } as unknown as AssistantsService;
  const users = { get: async (id: string) => ({ id, defaultAssistantId: ASSISTANT }) } as unknown as UsersService;
  const service = new ThreadsService(
    asReal<ThreadsRepository>(threads),
    asReal<MessagesRepository>(messages),
    asReal<BranchRepository>(new InMemoryBranches(store)),
    new BranchLimits(config),
    asReal<Transactions>(new InMemoryTransactions(store)),
    assistants,
    users,
    filesService,
    config,
  );
  return { service, store, threads, messages, files };
}

describe('ThreadsService', () => {
  it('adds a message through the one message writer and moves the thread counters once', async () => {
    const { service, store, messages } = setup();
    const thread = await service.create(ALICE, {});
    const added = await service.addMessage(ALICE, thread.id, { role: 'user', content: 'Hello' });
    expect(added).toMatchObject({ threadId: thread.id, userId: ALICE, role: 'user', content: 'Hello', status: 'completed' });
    expect(messages.writes).toHaveLength(1);
    expect(store.threads.get(thread.id)).toMatchObject({ messageCount: 1, lastMessageAt: expect.any(Date) });
  });

  it('refuses a message while a reply is being written, and stores nothing', async () => {
    const { service, store } = setup();
    const thread = await service.create(ALICE, {});
    store.runs.push({
      id: 'r1',
      threadId: thread.id,
      userId: ALICE,
      kind: 'chat',
      status: 'running',
      userMessageId: null,
      assistantMessageId: 'm1',
      cancelRequested: false,
      errorCode: null,
      heartbeatAt: new Date(),
      startedAt: new Date(),
      finishedAt: null,
    });
    await expect(service.addMessage(ALICE, thread.id, { role: 'user', content: 'Hi' })).rejects.toMatchObject({ code: 'run_in_progress' });
    expect(store.messages).toHaveLength(0);
    expect(store.threads.get(thread.id)?.messageCount).toBe(0);
  });

  it("treats another user's thread as missing everywhere", async () => {
    const { service } = setup();
    const thread = await service.create(ALICE, { title: 'Mine' });
    const notFound = { code: 'not_found' };
    await expect(service.findOwned(BOB, thread.id)).rejects.toMatchObject(notFound);
    await expect(service.addMessage(BOB, thread.id, { role: 'user', content: 'Hi' })).rejects.toMatchObject(notFound);
    await expect(service.update(BOB, thread.id, { title: 'Theirs' })).rejects.toMatchObject(notFound);
    await expect(service.delete(BOB, thread.id, false)).rejects.toMatchObject(notFound);
    await expect(service.delete(BOB, thread.id, true)).rejects.toMatchObject(notFound);
    await expect(service.restore(BOB, thread.id)).rejects.toMatchObject(notFound);
    await expect(service.listMessages(BOB, thread.id, { limit: 10 })).rejects.toMatchObject(notFound);
    expect((await service.findOwned(ALICE, thread.id)).title).toBe('Mine');
    expect((await service.list(BOB, {})).total).toBe(0);
  });

  it('refuses text over the input limit before anything is read', async () => {
    const { service, messages } = setup({ CHAT_MAX_INPUT_CHARS: '5' });
    await expect(service.addMessage(ALICE, 'no-such-thread', { role: 'user', content: 'Too long' })).rejects.toMatchObject({
      code: 'input_too_long',
      details: [{ field: 'content' }],
    });
    expect(messages.writes).toHaveLength(0);
  });

  it('pages messages oldest first, before and after a cursor, and tells an unknown cursor from an empty page', async () => {
    const { service } = setup();
    const thread = await service.create(ALICE, {});
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) ids.push((await service.addMessage(ALICE, thread.id, { role: 'user', content })).id);
    const contents = (page: Array<{ content: string }>) => page.map((message) => message.content);
    expect(contents(await service.listMessages(ALICE, thread.id, { limit: 2 }))).toEqual(['three', 'four']);
    expect(contents(await service.listMessages(ALICE, thread.id, { limit: 2, before: ids[2] }))).toEqual(['one', 'two']);
    expect(contents(await service.listMessages(ALICE, thread.id, { limit: 2, after: ids[0] }))).toEqual(['two', 'three']);
    expect(await service.listMessages(ALICE, thread.id, { limit: 2, after: ids[3] })).toEqual([]);
    await expect(service.listMessages(ALICE, thread.id, { limit: 2, after: 'd0000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses a reply to a message of another thread, naming the field', async () => {
    const { service } = setup();
    const first = await service.create(ALICE, {});
    const second = await service.create(ALICE, {});
    const elsewhere = await service.addMessage(ALICE, first.id, { role: 'user', content: 'Over there' });
    await expect(service.addMessage(ALICE, second.id, { role: 'user', content: 'Re', replyToId: elsewhere.id })).rejects.toMatchObject({
      code: 'not_found',
      details: [{ field: 'replyToId' }],
    });
    await expect(service.checkReferences(ALICE, null, [], elsewhere.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('exports the active branch a page at a time, other branches left out', async () => {
    const { service, store } = setup();
    const thread = await service.create(ALICE, {});
    for (const content of ['a', 'b', 'c']) await service.addMessage(ALICE, thread.id, { role: 'assistant', content });
    // Back to b: what follows starts a branch beside c.
    store.threads.get(thread.id)!.activeLeafId = store.messages.find((message) => message.content === 'b')!.id;
    for (const content of ['d', 'e']) await service.addMessage(ALICE, thread.id, { role: 'assistant', content });
    expect(store.messages.find((message) => message.content === 'd')).toMatchObject({ depth: 3 });
    expect(store.threads.get(thread.id)).toMatchObject({ messageCount: 4, treeSize: 5 });
    const pages: string[][] = [];
    for await (const page of service.conversationPages(ALICE, thread.id, 2)) pages.push(page.map((message) => message.content));
    expect(pages).toEqual([['a', 'b'], ['d', 'e']]);
  });

  it("lists the thread's files once each, in order of first use, the user's own only", async () => {
    const { service, files } = setup();
    const file = (id: string, userId = ALICE) => files.set(id, { id, userId, kind: 'other', sizeBytes: 10, filename: `${id}.txt` } as unknown as StoredFile);
    file('f1');
    file('f2');
    const thread = await service.create(ALICE, {});
    await service.addMessage(ALICE, thread.id, { role: 'user', content: 'x', fileIds: ['f2'] });
    await service.addMessage(ALICE, thread.id, { role: 'user', content: 'y', fileIds: ['f1', 'f2'] });
    expect((await service.threadFiles(ALICE, thread.id)).map((found) => found.id)).toEqual(['f2', 'f1']);
  });

  it('updates only what is given, and lists by archive state and title', async () => {
    const { service } = setup();
    const kept = await service.create(ALICE, { title: 'Tides and moons' });
    const archived = await service.create(ALICE, { title: 'Old' });
    await service.update(ALICE, archived.id, { isArchived: true });
    expect(await service.update(ALICE, kept.id, {})).toMatchObject({ title: 'Tides and moons', isArchived: false });
    expect((await service.list(ALICE, {})).threads.map((thread) => thread.id)).toEqual([kept.id]);
    expect((await service.list(ALICE, { archived: true })).threads.map((thread) => thread.id)).toEqual([archived.id]);
    expect((await service.list(ALICE, { search: 'moon' })).total).toBe(1);
  });
});
