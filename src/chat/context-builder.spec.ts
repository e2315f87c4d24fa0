import {
  buildRequest,
  estimateTokens,
  planContext,
  selectHistory,
  type Attachment,
  type AttachmentInfo,
  type BuildInput,
  type HistoryMessage,
  type PlanInput,
} from './context-builder.js';

function history(count: number, length = 40): HistoryMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    seq: index + 1,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `${index}:`.padEnd(length, 'x'),
    fileIds: [],
  }));
}

const MB = 1024 * 1024;
const ASSISTANT = { model: 'gpt-4o', instructions: 'Be brief.', temperature: 0.3, tools: [], vectorStoreId: null };

function planInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    instructions: 'Be brief.',
    summary: null,
    history: history(6),
    files: new Map(),
    settings: { mode: 'full', tokenBudget: 100_000 },
    budget: { maxImagesPerTurn: 20, maxBytesPerTurn: 200 * MB, maxTextChars: 100_000 },
    ...overrides,
  };
}

/** The request for a plan whose every planned file loaded as given. */
function build(plan: PlanInput, attachments = new Map<string, Attachment>(), overrides: Partial<BuildInput> = {}) {
  return buildRequest({ assistant: ASSISTANT, summary: plan.summary, plan: planContext(plan), attachments, overrides: {}, ...overrides });
}

function files(...infos: AttachmentInfo[]): Map<string, AttachmentInfo> {
  return new Map(infos.map((info) => [info.id, info]));
}

const image = (id: string, sizeBytes = MB): AttachmentInfo => ({ id, kind: 'image', filename: `${id}.png`, sizeBytes });

describe('context building', () => {
  it('sends instructions, model, temperature and the whole history in order (full mode)', () => {
    const request = build(planInput());
    expect(request).toMatchObject({ model: 'gpt-4o', instructions: 'Be brief.', temperature: 0.3, maxOutputTokens: null, tools: [] });
    expect(request.input.map((message) => (message.content as string).split(':')[0])).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(request.input.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  });

  it('puts the summary first in summary_window mode and keeps every message the summary does not cover', () => {
    const input = planInput({ summary: 'They discussed trains.', history: history(200), settings: { mode: 'summary_window', tokenBudget: 100_000 } });
    expect(planContext(input).messages).toHaveLength(200);
    const request = build(input);
    expect(request.input[0]).toEqual({ role: 'developer', content: expect.stringContaining('They discussed trains.') });
    expect(request.input).toHaveLength(201);
  });

  it('keeps room for a summary about to be written when asked to', () => {
    const input = planInput({ history: history(10, 400), settings: { mode: 'summary_window', tokenBudget: 1_500 } });
    const all = planContext(input).messages.length;
    expect(planContext({ ...input, reserveTokens: 600 }).messages.length).toBeLessThan(all);
  });

  it('drops the oldest messages that do not fit the token budget, but always keeps the newest', () => {
    const long = history(10, 400);
    const budget = estimateTokens('Be brief.') + 3 * estimateTokens(long[0].content);
    expect(selectHistory(planInput({ history: long, settings: { mode: 'full', tokenBudget: budget } })).map((m) => m.id)).toEqual([
      'm7',
      'm8',
      'm9',
    ]);
    expect(selectHistory(planInput({ history: long, settings: { mode: 'full', tokenBudget: 1 } })).map((m) => m.id)).toEqual(['m9']);
  });

  it('estimates a text attachment from its stored size, up to the character cap, without reading it', () => {
    const notes: AttachmentInfo = { id: 'notes', kind: 'text', filename: 'notes.txt', sizeBytes: 400 * 1024 };
    const messages: HistoryMessage[] = [
      { id: 'old', seq: 0, role: 'user', content: 'old question', fileIds: [] },
      { id: 'new', seq: 0, role: 'user', content: 'new question', fileIds: ['notes'] },
    ];
    const capped = { maxImagesPerTurn: 20, maxBytesPerTurn: 200 * MB, maxTextChars: 1_000 };
    const enough = estimateTokens('Be brief.') + estimateTokens('old question') + estimateTokens('new question') + 300;
    const settings = { mode: 'full' as const, tokenBudget: enough };
    // Capped at 1,000 characters the file costs about 250 tokens and the old message still fits; whole, it would not.
    expect(selectHistory(planInput({ history: messages, files: files(notes), settings, budget: capped })).map((m) => m.id)).toEqual(['old', 'new']);
    const uncapped = { ...capped, maxTextChars: 1_000_000 };
    expect(selectHistory(planInput({ history: messages, files: files(notes), settings, budget: uncapped })).map((m) => m.id)).toEqual(['new']);
  });

  it('sends images by reference to their copy at OpenAI, text files as text, and other files by name', () => {
    const infos = files(
      image('img'),
      { id: 'notes', kind: 'text', filename: 'notes.md', sizeBytes: 7 },
      { id: 'deck', kind: 'other', filename: 'deck.pdf', sizeBytes: 5 * MB },
    );
    const input = planInput({ history: [{ id: 'q', seq: 0, role: 'user', content: 'What is this?', fileIds: ['img', 'notes', 'deck'] }], files: infos });
    expect(planContext(input).load.map((file) => file.id)).toEqual(['img', 'notes', 'deck']);
    const attachments = new Map<string, Attachment>([
      ['img', { kind: 'image', upstreamFileId: 'file-abc' }],
      ['notes', { kind: 'text', filename: 'notes.md', text: '# Notes' }],
      ['deck', { kind: 'other', filename: 'deck.pdf' }],
    ]);
    expect(build(input, attachments).input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', fileId: 'file-abc' },
          { type: 'text', text: 'Attached file notes.md:\n# Notes' },
          { type: 'text', text: expect.stringContaining('deck.pdf') },
        ],
      },
    ]);
  });

  it('sends the newest images up to the per-turn count and leaves the older ones out, named in a note', () => {
    const messages: HistoryMessage[] = [
      { id: 'q1', seq: 0, role: 'user', content: 'first', fileIds: ['a', 'b'] },
      { id: 'r1', seq: 0, role: 'assistant', content: 'seen', fileIds: [] },
      { id: 'q2', seq: 0, role: 'user', content: 'second', fileIds: ['c', 'd'] },
    ];
    const input = planInput({ history: messages, files: files(image('a'), image('b'), image('c'), image('d')), budget: { maxImagesPerTurn: 3, maxBytesPerTurn: 200 * MB, maxTextChars: 100 } });
    const plan = planContext(input);
    expect(plan.load.map((file) => file.id)).toEqual(['c', 'd', 'a']);
    expect([...plan.leftOut.entries()]).toEqual([['b', { kind: 'image', filename: 'b.png', reason: 'image_limit' }]]);
    const loaded = new Map<string, Attachment>(plan.load.map((file) => [file.id, { kind: 'image', upstreamFileId: `file-${file.id}` }]));
    expect(build(input, loaded).input[0].content).toEqual([
      { type: 'text', text: 'first' },
      { type: 'image', fileId: 'file-a' },
      { type: 'text', text: '(Attached image b.png is not included: this turn already carries as many images as a turn may.)' },
    ]);
  });

  it('keeps the attachment bytes of a turn within its budget, counted from the stored sizes', () => {
    const messages: HistoryMessage[] = [
      { id: 'q1', seq: 0, role: 'user', content: 'old', fileIds: ['big', 'log'] },
      { id: 'q2', seq: 0, role: 'user', content: 'new', fileIds: ['mid'] },
    ];
    const infos = files(image('big', 8 * MB), image('mid', 6 * MB), { id: 'log', kind: 'text', filename: 'app.log', sizeBytes: 50 * MB });
    const plan = planContext(planInput({ history: messages, files: infos, budget: { maxImagesPerTurn: 20, maxBytesPerTurn: 10 * MB, maxTextChars: 100_000 } }));
    // The newest image first (6 MB); the older one would pass the budget; a 50 MB log costs only what is read of it (300 KB).
    expect(plan.load.map((file) => file.id)).toEqual(['mid', 'log']);
    expect(plan.leftOut.get('big')).toEqual({ kind: 'image', filename: 'big.png', reason: 'attachment_budget' });
  });

  it("adds file_search with the assistant's vector store, and applies the turn's overrides", () => {
    const request = build(planInput(), new Map(), {
      assistant: { model: 'gpt-4o', instructions: null, temperature: null, tools: [{ type: 'file_search' }, { type: 'web_search' }], vectorStoreId: 'vs_123' },
      overrides: { model: 'gpt-4.1-mini', temperature: 1.5, maxOutputTokens: 256 },
    });
    expect(request.tools).toEqual([{ type: 'file_search', vectorStoreIds: ['vs_123'] }, { type: 'web_search' }]);
    expect(request).toMatchObject({ model: 'gpt-4.1-mini', temperature: 1.5, maxOutputTokens: 256 });
  });

  it('leaves file_search out until the assistant has documents', () => {
    const request = build(planInput(), new Map(), {
      assistant: { model: 'm', instructions: null, temperature: null, tools: [{ type: 'file_search' }], vectorStoreId: null },
    });
    expect(request.tools).toEqual([]);
  });
});
