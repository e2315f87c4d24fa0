import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { LlmRequest } from '../llm/llm-types.js';
import { LlmCallAborted } from '../llm/responses-stream.js';
import { retryWaitMs } from '../llm/retry-rule.js';
import type { UserLlm } from '../llm/user-llm.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ReplyDraft, StreamOutcome, TurnEvents } from './turn.js';

/**
 * Streams a reply from OpenAI into the draft and the turn's events. A
 * failure is tried again by the shared retry rule (retry-rule.ts, as a
 * streamed reply: no retry for a timeout), and only before the first token:
 * text the client has seen is never sent twice.
 */
@Injectable()
export class ReplyRelay {
  constructor(
    private readonly metrics: MetricsService,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async relay(llm: UserLlm, request: LlmRequest, draft: ReplyDraft, events: TurnEvents, signal: AbortSignal): Promise<StreamOutcome> {
    const { maxRetries, maxRetryWaitMs, firstTokenTimeoutMs, requestTimeoutMs } = this.config.openai;
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.streamOnce(llm, request, draft, events, signal, firstTokenTimeoutMs, requestTimeoutMs);
      } catch (error) {
        if (error instanceof LlmCallAborted || !(error instanceof DomainError)) throw error;
        this.metrics.upstreamFailed(error.code);
        const wait = draft.length > 0 ? null : retryWaitMs(error, 'reply', attempt, waited, { maxRetries, maxTotalWaitMs: maxRetryWaitMs });
        if (wait === null) throw error;
        this.logger.info({ code: error.code, attempt: attempt + 1, waitMs: wait }, 'retrying the model call');
        await sleep(wait, undefined, { signal }).catch(() => {
          throw new LlmCallAborted();
        });
        waited += wait;
      }
    }
  }

  private async streamOnce(
    llm: UserLlm,
    request: LlmRequest,
    draft: ReplyDraft,
    events: TurnEvents,
    signal: AbortSignal,
    firstTokenTimeoutMs: number,
    idleTimeoutMs: number,
  ): Promise<StreamOutcome> {
    for await (const batch of llm.stream(request, { signal, firstTokenTimeoutMs, idleTimeoutMs })) {
      const deltas: string[] = [];
      let outcome: StreamOutcome | undefined;
      let failed: DomainError | undefined;
      for (const event of batch) {
        switch (event.type) {
          case 'delta':
            deltas.push(event.text);
            break;
          case 'citation':
            draft.citations.push({ fileId: event.fileId, filename: event.filename, index: event.index });
            break;
          case 'completed':
            outcome = { status: 'completed', responseId: event.responseId, model: event.model, usage: event.usage };
            break;
          case 'incomplete':
            outcome = { status: 'incomplete', responseId: event.responseId, model: event.model, usage: event.usage, reason: event.reason };
            break;
          case 'failed':
            failed = new DomainError('upstream_error', `OpenAI could not finish the reply (${event.code}): ${event.message}`);
            break;
        }
      }
      if (deltas.length > 0) {
        draft.append(deltas);
        events.tokens(deltas);
        this.metrics.tokensRelayed(deltas.length);
      }
      if (failed) throw failed;
      if (outcome) return outcome;
    }
    throw new DomainError('upstream_unavailable', 'The reply from OpenAI broke off; try again');
  }
}
