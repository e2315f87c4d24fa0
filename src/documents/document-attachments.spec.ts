import pino from 'pino';
import { DomainError } from '../common/errors/domain-error.js';
import type { Assistant } from '../assistants/assistant.entity.js';
import type { SqlExecutor } from '../database/sql.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { InMemoryDocuments, type FakeAssistant, type FakeFile } from '../../test/support/in-memory-documents.js';
import { DocumentAttachments } from './document-attachments.service.js';
import { UpstreamCleanup } from './upstream-cleanup.service.js';

const ALICE = '00000000-0000-4000-8000-00000000000a';
const BOB = '00000000-0000-4000-8000-00000000000b';

/** The transaction the rules are handed: any statement sent to it directly (not through a fake) fails the spec. */
const tx: SqlExecutor = {
  rows: () => Promise.reject(new Error('SQL outside the repositories')),
  row: () => Promise.reject(new Error('SQL outside the repositories')),
  execute: () => Promise.reject(new Error('SQL outside the repositories')),
  prepared: () => Promise.reject(new Error('SQL outside the repositories')),
};

function assistantOf(fake: FakeAssistant): Assistant {
  const at = new Date(0);
  return {
    ...fake,
    name: 'Helper',
    description: null,
    model: 'gpt-4o',
    instructions: null,
    temperature: null,
    tools: [],
    metadata: {},
    deletedAt: null,
    isActive: true,
    fileSearchOff: false,
    vectorStoreClaimedUntil: null,
    createdAt: at,
    updatedAt: at,
  };
}

function fileOf(fake: FakeFile, kind: 'document' | 'image' = 'document', filename = `${fake.id}.pdf`): StoredFile {
  const at = new Date(0);
  return {
    ...fake,
    filename,
    relativePath: null,
    mimeType: kind === 'image' ? 'image/png' : 'application/pdf',
    kind,
    sizeBytes: 1,
    sha256: '0'.repeat(64),
    upstreamKeyRef: null,
    upstreamExpiresAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

describe('attaching and detaching documents', () => {
  let store: InMemoryDocuments;
  let rules: DocumentAttachments;
  let helper: Assistant;

  beforeEach(() => {
    store = new InMemoryDocuments();
    rules = new DocumentAttachments(store, store, store);
    helper = assistantOf(store.addAssistant({ id: 'asst-1', userId: ALICE, vectorStoreId: 'vs-1' }));
  });

  it('refuses images, naming each, and writes nothing', async () => {
    const photo = fileOf(store.addFile({ id: 'f-photo', userId: ALICE }), 'image', 'cat.png');
    const scan = fileOf(store.addFile({ id: 'f-scan', userId: ALICE }), 'image', 'scan.png');
    const document = fileOf(store.addFile({ id: 'f-doc', userId: ALICE }));
    const error = await rules.attach(helper, [document, photo, scan], tx).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      details: [
        { field: 'fileIds', message: expect.stringContaining('cat.png') },
        { field: 'fileIds', message: expect.stringContaining('scan.png') },
      ],
    });
    expect(store.calls).toEqual([]);
    expect(store.jobs).toEqual([]);
  });

  it('locks the files first, attaches them as processing and queues the indexing of each new attachment once', async () => {
    const a = fileOf(store.addFile({ id: 'f-b', userId: ALICE }));
    const b = fileOf(store.addFile({ id: 'f-a', userId: ALICE }));
    await rules.attach(helper, [a, b], tx);
    expect(store.calls).toEqual(['lock f-a,f-b', 'insert f-b,f-a']);
    expect(store.jobs).toEqual([
      { userId: ALICE, kind: 'index_file', payload: { assistantId: 'asst-1', fileId: 'f-b', phase: 'attach' } },
      { userId: ALICE, kind: 'index_file', payload: { assistantId: 'asst-1', fileId: 'f-a', phase: 'attach' } },
    ]);
    expect(store.files.get('f-a')?.status).toBe('processing');
    expect((await rules.fileIdsByAssistant(ALICE, ['asst-1'])).get('asst-1')).toEqual(['f-b', 'f-a']);

    const c = fileOf(store.addFile({ id: 'f-c', userId: ALICE }));
    await rules.attach(helper, [a, c], tx);
    expect(store.jobs.map((job) => job.payload.fileId)).toEqual(['f-b', 'f-a', 'f-c']);
  });

  it('does nothing for an empty list', async () => {
    await rules.attach(helper, [], tx);
    await rules.detach(helper, [], tx);
    expect(store.calls).toEqual([]);
  });

  it('detaches under the files’ locks and queues the removal of each copy in the vector store', async () => {
    store.addFile({ id: 'f-indexed', userId: ALICE, upstreamFileId: 'file-up-1' });
    store.addFile({ id: 'f-pending', userId: ALICE });
    store.addFile({ id: 'f-elsewhere', userId: ALICE, upstreamFileId: 'file-up-2' });
    store.addAssistant({ id: 'asst-2', userId: ALICE, vectorStoreId: 'vs-2' });
    store.attach(ALICE, 'asst-1', 'f-indexed');
    store.attach(ALICE, 'asst-1', 'f-pending', 'processing');
    store.attach(ALICE, 'asst-2', 'f-elsewhere', 'failed', 'unsupported');

    await rules.detach(helper, ['f-pending', 'f-indexed', 'f-elsewhere'], tx);
    expect(store.calls).toEqual(['lock f-elsewhere,f-indexed,f-pending', 'delete f-pending,f-indexed,f-elsewhere']);
    // f-elsewhere is attached to another assistant only: not detached here, its copy stays in vs-2.
    expect(store.jobs).toEqual([{ userId: ALICE, kind: 'detach_file', payload: { vectorStoreId: 'vs-1', upstreamFileId: 'file-up-1' } }]);
    expect(store.files.get('f-pending')?.status).toBe('ready');
    expect(store.attachments.map((row) => [row.assistant_id, row.file_id])).toEqual([['asst-2', 'f-elsewhere']]);
  });

  it('queues no removal while the assistant has no vector store yet', async () => {
    const fresh = assistantOf(store.addAssistant({ id: 'asst-new', userId: ALICE }));
    store.addFile({ id: 'f-1', userId: ALICE, upstreamFileId: 'file-up-1' });
    store.attach(ALICE, 'asst-new', 'f-1', 'processing');
    await rules.detach(fresh, ['f-1'], tx);
    expect(store.jobs).toEqual([]);
    expect(store.attachments).toEqual([]);
  });

  it('detaches one document only from the assistant it is attached to (404 otherwise)', async () => {
    store.addFile({ id: 'f-1', userId: ALICE });
    store.addAssistant({ id: 'asst-2', userId: ALICE });
    store.attach(ALICE, 'asst-2', 'f-1');
    await expect(rules.detachOne(helper, 'f-1', tx)).rejects.toMatchObject({ code: 'not_found' });
    expect(store.attachments).toHaveLength(1);
  });

  it('acts as the assistant’s owner: another user’s call reaches none of the owner’s attachments', async () => {
    store.addFile({ id: 'f-1', userId: ALICE, upstreamFileId: 'file-up-1' });
    store.attach(ALICE, 'asst-1', 'f-1');
    await rules.detach({ ...helper, userId: BOB }, ['f-1'], tx);
    expect(store.calls).toEqual(['lock ', 'delete f-1']);
    expect(store.jobs).toEqual([]);
    expect((await rules.fileIdsByAssistant(ALICE, ['asst-1'])).get('asst-1')).toEqual(['f-1']);
    expect((await rules.fileIdsByAssistant(BOB, ['asst-1'])).get('asst-1')).toEqual([]);
  });

  it('retries only failed attachments, and says how many', async () => {
    const file = fileOf(store.addFile({ id: 'f-1', userId: ALICE, status: 'failed', statusError: 'boom' }));
    store.addAssistant({ id: 'asst-2', userId: ALICE });
    store.attach(ALICE, 'asst-1', 'f-1', 'failed', 'boom');
    store.attach(ALICE, 'asst-2', 'f-1', 'ready');
    expect(await rules.retry(file, tx)).toBe(1);
    expect(store.jobs).toEqual([{ userId: ALICE, kind: 'index_file', payload: { assistantId: 'asst-1', fileId: 'f-1', phase: 'attach' } }]);
    expect(store.files.get('f-1')).toMatchObject({ status: 'processing', statusError: null });
    expect(await rules.retry(file, tx)).toBe(0);
  });
});

describe('clean-up of copies at OpenAI', () => {
  const noLlm = { forUser: () => Promise.reject(new Error('no key in unit specs')) };
  const none = { vectorStoreIds: async () => [], upstreamFileIds: async () => [] };

  it('queues, for a deleted file, its removal from every vector store holding it and from OpenAI Files', async () => {
    const store = new InMemoryDocuments();
    const cleanup = new UpstreamCleanup(store, none, none, store, noLlm, pino({ level: 'silent' }));
    store.addAssistant({ id: 'asst-1', userId: ALICE, vectorStoreId: 'vs-1' });
    store.addAssistant({ id: 'asst-2', userId: ALICE, vectorStoreId: 'vs-2' });
    store.addAssistant({ id: 'asst-3', userId: ALICE });
    const file = store.addFile({ id: 'f-1', userId: ALICE, upstreamFileId: 'file-up-1' });
    for (const assistant of ['asst-1', 'asst-2', 'asst-3']) store.attach(ALICE, assistant, 'f-1');

    await cleanup.fileDeleted(fileOf(file), tx);
    expect(store.jobs).toEqual([
      { userId: ALICE, kind: 'detach_file', payload: { vectorStoreId: 'vs-1', upstreamFileId: 'file-up-1' } },
      { userId: ALICE, kind: 'detach_file', payload: { vectorStoreId: 'vs-2', upstreamFileId: 'file-up-1' } },
      { userId: ALICE, kind: 'delete_upstream_file', payload: { upstreamFileId: 'file-up-1' } },
    ]);
  });

  it('queues nothing for a file never copied, and a deleted assistant’s store only when it had one', async () => {
    const store = new InMemoryDocuments();
    const cleanup = new UpstreamCleanup(store, none, none, store, noLlm, pino({ level: 'silent' }));
    store.addAssistant({ id: 'asst-1', userId: ALICE, vectorStoreId: 'vs-1' });
    const file = store.addFile({ id: 'f-1', userId: ALICE });
    store.attach(ALICE, 'asst-1', 'f-1');
    await cleanup.fileDeleted(fileOf(file), tx);
    await cleanup.assistantDeleted(ALICE, null, tx);
    expect(store.jobs).toEqual([]);
    await cleanup.assistantDeleted(ALICE, 'vs-1', tx);
    expect(store.jobs).toEqual([{ userId: ALICE, kind: 'delete_vector_store', payload: { vectorStoreId: 'vs-1' } }]);
  });
});
