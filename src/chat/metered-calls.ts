import { Injectable } from '@nestjs/common';
import { BudgetAdmission } from '../budgets/budget-admission.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { LlmRequest } from '../llm/llm-types.js';
import type { UserLlm } from '../llm/user-llm.js';
import { ModelCallsRepository, type NewModelCall } from '../usage/model-calls.repository.js';
import { costOf } from './pricing.js';

/** Whose call it is and what for. */
export interface MeteredCall {
  userId: string;
  threadId: string;
  purpose: NewModelCall['purpose'];
}

/**
 * The short calls a thread needs besides its replies (titles, summaries),
 * made with the user's key: each is recorded with its tokens and cost, so
 * that the user's usage and budget show everything spent. A failure to record is
 * logged, never the call's failure.
 */
@Injectable()
export class MeteredCalls {
  constructor(
    private readonly calls: ModelCallsRepository,
    private readonly budgets: BudgetAdmission,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async complete(llm: UserLlm, call: MeteredCall, request: LlmRequest, timeoutMs: number): Promise<string> {
    const { text, model, usage } = await llm.completion(request, timeoutMs);
    if (usage) {
      const cost = costOf(model, usage, this.config.openai.pricing);
      const recorded = { threadId: call.threadId, purpose: call.purpose, model, inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, cost };
      await this.calls.record(call.userId, recorded).catch((error: unknown) => {
        this.logger.warn({ err: error, threadId: call.threadId, purpose: call.purpose }, 'could not record the usage of a call');
      });
      await this.budgets.recordSpend(call.userId, { tokens: usage.totalTokens, usd: cost ?? 0 }).catch((error: unknown) => {
        this.logger.warn({ err: error, threadId: call.threadId, purpose: call.purpose }, 'could not count a call against the budget');
      });
    }
    return text;
  }
}
