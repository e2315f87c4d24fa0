import { unitConfig } from '../config/testing/unit-config.js';
import type { AppLogger } from '../common/logging/logger.js';
import type { Completion, LlmRequest } from '../llm/llm-types.js';
import type { UserLlm } from '../llm/user-llm.js';
import type { ModelCallsRepository, NewModelCall } from '../usage/model-calls.repository.js';
import { UnlimitedBudgets } from '../budgets/testing/unlimited-budgets.js';
import { MeteredCalls } from './metered-calls.js';

const config = unitConfig();
const REQUEST: LlmRequest = { model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Name this' }] };
const llmAnswering = (completion: Completion) => ({ completion: async () => completion }) as unknown as UserLlm;

function metered(record: (userId: string, call: NewModelCall) => Promise<boolean>) {
  const warnings: string[] = [];
  const logger = { warn: (_context: unknown, message: string) => void warnings.push(message) } as unknown as AppLogger;
  return { calls: new MeteredCalls({ record } as unknown as ModelCallsRepository, new UnlimitedBudgets().real, config, logger), warnings };
}

describe('metered calls', () => {
  it('records the tokens and cost of a call under its purpose, priced by the model that answered', async () => {
    const recorded: Array<[string, NewModelCall]> = [];
    const { calls } = metered(async (userId, call) => Boolean(recorded.push([userId, call])));
    const llm = llmAnswering({ text: 'Tides', model: 'gpt-4o-mini-2024-07-18', usage: { inputTokens: 40, outputTokens: 10, totalTokens: 50 } });
    await expect(calls.complete(llm, { userId: 'u1', threadId: 't1', purpose: 'title' }, REQUEST, 1_000)).resolves.toBe('Tides');
    expect(recorded).toEqual([
      ['u1', { threadId: 't1', purpose: 'title', model: 'gpt-4o-mini-2024-07-18', inputTokens: 40, outputTokens: 10, cost: 0.000012 }],
    ]);
  });

  it('answers all the same when the usage cannot be recorded, and records nothing without usage', async () => {
    const failing = metered(async () => Promise.reject(new Error('database down')));
    const llm = llmAnswering({ text: 'A summary', model: 'gpt-4o-mini', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } });
    await expect(failing.calls.complete(llm, { userId: 'u1', threadId: 't1', purpose: 'summary' }, REQUEST, 1_000)).resolves.toBe('A summary');
    expect(failing.warnings).toEqual(['could not record the usage of a call']);

    let records = 0;
    const counted = metered(async () => Boolean(++records));
    await counted.calls.complete(llmAnswering({ text: 'x', model: 'gpt-4o-mini', usage: null }), { userId: 'u1', threadId: 't1', purpose: 'title' }, REQUEST, 1_000);
    expect(records).toBe(0);
  });
});
