import { unitConfig } from '../config/testing/unit-config.js';
import type { AppLogger } from '../common/logging/logger.js';
import type { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { LlmContentPart, LlmRequest } from '../llm/llm-types.js';
import { UpstreamFileMissing } from '../llm/upstream-errors.js';
import type { UserLlm } from '../llm/user-llm.js';
import type { BranchRepository } from '../threads/branch.repository.js';
import type { MessagesRepository } from '../threads/messages.repository.js';
import type { HistoryMessage } from './context-builder.js';
import { ContextService, type ContextTurn } from './context.service.js';
import type { ImageCopies } from './image-copies.js';
import type { SummariesService } from './summaries.service.js';

const CHUNK = 256 * 1024;

function storedFile(id: string, fields: Partial<StoredFile>): StoredFile {
  return { id, userId: 'u1', filename: `${id}.bin`, mimeType: 'image/png', kind: 'image', sizeBytes: 1_000, upstreamFileId: null, ...fields } as StoredFile;
}

/** Storage that counts the chunks pulled from it and whether the reader let go of the stream. */
class CountingStorage {
  pulled = 0;
  closed = false;

  constructor(private readonly chunks: number) {}

  async *stream(): AsyncGenerator<Buffer> {
    try {
      for (let index = 0; index < this.chunks; index++) {
        this.pulled++;
        yield Buffer.alloc(CHUNK, 'a');
      }
    } finally {
      this.closed = true;
    }
  }
}

/** Image copies that take until released, counting how many are made at once. */
class GatedCopies {
  active = 0;
  mostAtOnce = 0;
  started: string[] = [];
  forgotten: string[][] = [];
  private readonly gates: Array<() => void> = [];
  failWith: { fileId: string; error: Error } | undefined;

  async ensure(file: StoredFile, _llm: UserLlm, signal: AbortSignal): Promise<string> {
    this.started.push(file.id);
    this.active++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    try {
      if (this.failWith?.fileId === file.id) throw this.failWith.error;
      await new Promise<void>((resolve, reject) => {
        this.gates.push(resolve);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      return `file-${file.id}-${this.forgotten.length}`;
    } finally {
      this.active--;
    }
  }

  async forget(_userId: string, ids: string[]): Promise<void> {
    this.forgotten.push(ids);
  }

  /** Lets every waiting copy finish, now and as they come, until the returned stop is called. */
  releaseAll(): () => void {
    const timer = setInterval(() => this.gates.splice(0).forEach((release) => release()), 1);
    return () => clearInterval(timer);
  }
}

function service(files: StoredFile[], storage: CountingStorage | undefined, copies: GatedCopies, env: Record<string, string> = {}) {
  const config = unitConfig(env);
  const filesService = {
    findExisting: async (_userId: string, ids: string[]) => files.filter((file) => ids.includes(file.id)),
    content: () => storage!.stream(),
  } as unknown as FilesService;
  const logger = { info: () => undefined } as unknown as AppLogger;
  return new ContextService({} as MessagesRepository, {} as BranchRepository, filesService, copies as unknown as ImageCopies, {} as SummariesService, config, logger);
}

function turn(fileIds: string[]): ContextTurn {
  const history: HistoryMessage[] = [{ id: 'q', seq: 0, role: 'user', content: 'Look', fileIds }];
  return {
    thread: { id: 't1', userId: 'u1', summary: null, summaryThroughSeq: null },
    assistant: { model: 'gpt-4o', instructions: null, temperature: null, tools: [], vectorStoreId: null },
    overrides: {},
    history,
  };
}

function partsOf(request: LlmRequest): LlmContentPart[] {
  return request.input[0].content as LlmContentPart[];
}

describe('loading a turn', () => {
  it('reads a text attachment only up to its cap, from its first chunks, and lets go of the stream', async () => {
    const storage = new CountingStorage(8);
    const notes = storedFile('notes', { filename: 'notes.txt', kind: 'document', mimeType: 'text/plain', sizeBytes: 8 * CHUNK });
    const context = service([notes], storage, new GatedCopies(), { CHAT_MAX_TEXT_ATTACHMENT_CHARS: '1000' });

    const request = await context.send(turn(['notes']), {} as UserLlm, new AbortController().signal, async (sent) => sent);

    expect(partsOf(request)[1]).toEqual({ type: 'text', text: `Attached file notes.txt:\n${'a'.repeat(1000)}` });
    expect(storage.pulled).toBe(1);
    expect(storage.closed).toBe(true);
  });

  it('makes at most CHAT_IMAGE_UPLOAD_CONCURRENCY image copies at once, and sends every image by its copy', async () => {
    const images = ['a', 'b', 'c', 'd', 'e'].map((id) => storedFile(id, {}));
    const copies = new GatedCopies();
    const context = service(images, undefined, copies, { CHAT_IMAGE_UPLOAD_CONCURRENCY: '2' });
    const stop = copies.releaseAll();

    const request = await context.send(turn(['a', 'b', 'c', 'd', 'e']), {} as UserLlm, new AbortController().signal, async (sent) => sent);
    stop();

    expect(copies.mostAtOnce).toBe(2);
    expect(partsOf(request).slice(1)).toEqual(['a', 'b', 'c', 'd', 'e'].map((id) => ({ type: 'image', fileId: `file-${id}-0` })));
  });

  it('calls off the other copies when one fails, and none is still running when the turn fails', async () => {
    const images = ['a', 'b', 'c', 'd'].map((id) => storedFile(id, {}));
    const copies = new GatedCopies();
    const failure = new Error('upload refused');
    copies.failWith = { fileId: 'b', error: failure };
    const context = service(images, undefined, copies, { CHAT_IMAGE_UPLOAD_CONCURRENCY: '2' });

    await expect(context.send(turn(['a', 'b', 'c', 'd']), {} as UserLlm, new AbortController().signal, async (sent) => sent)).rejects.toBe(failure);

    expect(copies.active).toBe(0);
    expect(copies.started).toEqual(['a', 'b']);
  });

  it('makes the copies again and sends once more when OpenAI says a copy is gone', async () => {
    const copies = new GatedCopies();
    const context = service([storedFile('a', {})], undefined, copies);
    const stop = copies.releaseAll();
    const sent: LlmRequest[] = [];

    const answer = await context.send(turn(['a']), {} as UserLlm, new AbortController().signal, async (request) => {
      sent.push(request);
      if (sent.length === 1) throw new UpstreamFileMissing('No such File object: file-a-0');
      return 'answered';
    });
    stop();

    expect(answer).toBe('answered');
    expect(copies.forgotten).toEqual([['file-a-0']]);
    expect(sent.map((request) => partsOf(request)[1])).toEqual([
      { type: 'image', fileId: 'file-a-0' },
      { type: 'image', fileId: 'file-a-1' },
    ]);
  });

  it('does not send again for a missing file when the request referred to no copy of its own', async () => {
    const context = service([], undefined, new GatedCopies());
    const missing = new UpstreamFileMissing('No such File object: file-x');
    let calls = 0;
    const sending = context.send(turn([]), {} as UserLlm, new AbortController().signal, async () => {
      calls++;
      throw missing;
    });
    await expect(sending).rejects.toBe(missing);
    expect(calls).toBe(1);
  });
});
