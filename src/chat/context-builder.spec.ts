import { buildRequest, estimateTokens, selectHistory, type Attachment, type ContextInput, type HistoryMessage } from './context-builder.js';

function history(count: number, length = 40): HistoryMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `m${index}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: `${index}:`.padEnd(length, 'x'),
    fileIds: [],
  }));
}

function input(overrides: Partial<ContextInput> = {}): ContextInput {
  return {
    assistant: { model: 'gpt-4o', instructions: 'Be brief.', temperature: 0.3, tools: [], vectorStoreId: null },
    summary: null,
    history: history(6),
    attachments: new Map(),
    overrides: {},
    settings: { mode: 'full', windowMessages: 4, tokenBudget: 100_000 },
    ...overrides,
  };
}

describe('context building', () => {
  it('sends instructions, model, temperature and the whole history in order (full mode)', () => {
    const { request } = buildRequest(input());
    expect(request).toMatchObject({ model: 'gpt-4o', instructions: 'Be brief.', temperature: 0.3, maxOutputTokens: null, tools: [] });
    expect(request.input.map((message) => (message.content as string).split(':')[0])).toEqual(['0', '1', '2', '3', '4', '5']);
    expect(request.input.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
  });

  it('keeps only the window and puts the summary first in summary_window mode', () => {
    const { request, messages } = buildRequest(
      input({ summary: 'They discussed trains.', history: history(200), settings: { mode: 'summary_window', windowMessages: 4, tokenBudget: 100_000 } }),
    );
    expect(messages.map((message) => message.id)).toEqual(['m196', 'm197', 'm198', 'm199']);
    expect(request.input[0]).toEqual({ role: 'developer', content: expect.stringContaining('They discussed trains.') });
    expect(request.input).toHaveLength(5);
  });

  it('drops the oldest messages that do not fit the token budget, but always keeps the newest', () => {
    const long = history(10, 400);
    const budget = estimateTokens('Be brief.') + 3 * estimateTokens(long[0].content);
    expect(selectHistory({ ...input(), history: long, settings: { mode: 'full', windowMessages: 4, tokenBudget: budget } }).map((m) => m.id)).toEqual([
      'm7',
      'm8',
      'm9',
    ]);
    expect(selectHistory({ ...input(), history: long, settings: { mode: 'full', windowMessages: 4, tokenBudget: 1 } }).map((m) => m.id)).toEqual(['m9']);
  });

  it('turns image files into input_image parts and text files into text', () => {
    const attachments = new Map<string, Attachment>([
      ['img', { kind: 'image', dataUrl: 'data:image/png;base64,AAAA' }],
      ['notes', { kind: 'text', filename: 'notes.md', text: '# Notes' }],
      ['deck', { kind: 'other', filename: 'deck.pdf' }],
    ]);
    const { request } = buildRequest(
      input({ history: [{ id: 'q', role: 'user', content: 'What is this?', fileIds: ['img', 'notes', 'deck'] }], attachments }),
    );
    expect(request.input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image', dataUrl: 'data:image/png;base64,AAAA' },
          { type: 'text', text: 'Attached file notes.md:\n# Notes' },
          { type: 'text', text: expect.stringContaining('deck.pdf') },
        ],
      },
    ]);
  });

  it("adds file_search with the assistant's vector store, and applies the turn's overrides", () => {
    const { request } = buildRequest(
      input({
        assistant: {
          model: 'gpt-4o',
          instructions: null,
          temperature: null,
          tools: [{ type: 'file_search' }, { type: 'web_search' }],
          vectorStoreId: 'vs_123',
        },
        overrides: { model: 'gpt-4.1-mini', temperature: 1.5, maxOutputTokens: 256 },
      }),
    );
    expect(request.tools).toEqual([{ type: 'file_search', vectorStoreIds: ['vs_123'] }, { type: 'web_search' }]);
    expect(request).toMatchObject({ model: 'gpt-4.1-mini', temperature: 1.5, maxOutputTokens: 256 });
  });

  it('leaves file_search out until the assistant has documents', () => {
    const { request } = buildRequest(
      input({ assistant: { model: 'm', instructions: null, temperature: null, tools: [{ type: 'file_search' }], vectorStoreId: null } }),
    );
    expect(request.tools).toEqual([]);
  });
});
