import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { BudgetAdmission } from '../budgets/budget-admission.js';
import { isConnectionUnavailable } from '../common/errors/error-mapping.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { backoffMs } from '../llm/retry-rule.js';
import { RunsService } from '../runs/runs.service.js';
import type { Message, MessageCitation } from '../threads/message.entity.js';
import { MessagesRepository } from '../threads/messages.repository.js';
import { ThreadsRepository } from '../threads/threads.repository.js';
import { ChatFilesRepository } from './chat-files.repository.js';
import { costOf } from './pricing.js';
import type { ReplyDraft, StoredOutcome, Turn } from './turn.js';

/** Tries at storing a reply when no connection could be had (nothing was written, so trying again is safe). */
const STORE_ATTEMPTS = 4;

const STREAMING: StoredOutcome = { status: 'streaming', reason: null, runStatus: 'running', errorCode: null };

/**
 * Persists a turn's reply: the text so far while it streams, and at the end
 * the reply with its citations, usage and cost, the thread's totals, a
 * reply as the active branch's leaf, the run ended, and the user's
 * spending for budgets (in place of what the turn held), together.
 */
@Injectable()
export class ReplyStore {
  constructor(
    private readonly transactions: Transactions,
    private readonly messages: MessagesRepository,
    private readonly threads: ThreadsRepository,
    private readonly files: ChatFilesRepository,
    private readonly runs: RunsService,
    private readonly budgets: BudgetAdmission,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** Saves the text so far as a streaming reply (a crash then loses at most one heartbeat of it). */
  saveProgress(turn: Turn, draft: ReplyDraft): Promise<Message> {
    return this.transactions.run((tx) => this.writeReply(turn, draft, STREAMING, tx));
  }

  /**
   * Stores the end of the turn in one transaction. The reply is in memory:
   * when no database connection could be had (a busy pool, a restarting
   * server) the store is tried again, a few times. Null when there was no
   * reply to keep.
   */
  async finish(turn: Turn, draft: ReplyDraft, outcome: StoredOutcome): Promise<Message | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.finishOnce(turn, draft, outcome);
      } catch (error) {
        if (attempt >= STORE_ATTEMPTS || !isConnectionUnavailable(error)) throw error;
        this.logger.warn({ err: error, runId: turn.run.id, attempt }, 'no database connection to store the reply; trying again');
        await sleep(backoffMs(attempt));
      }
    }
  }

  /** Ends the run alone (when its reply could not be stored), so the thread is not held until the run goes stale. */
  endRun(turn: Turn, outcome: StoredOutcome): Promise<void> {
    return this.runs.finish(turn.user.id, turn.run.id, 'failed', outcome.errorCode);
  }

  private finishOnce(turn: Turn, draft: ReplyDraft, outcome: StoredOutcome): Promise<Message | null> {
    return this.transactions.run(async (tx) => {
      let reply: Message | null = null;
      if (draft.length > 0 || outcome.status === 'completed') {
        reply = await this.writeReply(turn, draft, outcome, tx);
      }
      // A new version (regenerated, or after an edit) left another branch: the counters follow the active one.
      if (turn.kind === 'regenerate' || turn.kind === 'edit') await this.threads.moveToLeaf(turn.user.id, turn.thread.id, null, tx);
      await this.runs.finish(turn.user.id, turn.run.id, outcome.runStatus, outcome.errorCode, tx);
      // What the provider reports replaces what the turn held of the budget, whether the reply was kept or not.
      const usage = outcome.usage ?? null;
      const cost = costOf(outcome.model ?? turn.options.model ?? turn.assistant.model, usage, this.config.openai.pricing);
      await this.budgets.settle(turn.user.id, turn.budget?.reservationId ?? null, { tokens: usage?.totalTokens ?? 0, usd: cost ?? 0 }, tx);
      return reply;
    });
  }

  private async writeReply(turn: Turn, draft: ReplyDraft, outcome: StoredOutcome, tx: SqlExecutor): Promise<Message> {
    const model = outcome.model ?? turn.options.model ?? turn.assistant.model;
    const usage = outcome.usage ?? null;
    const cost = costOf(model, usage, this.config.openai.pricing);
    const { message, inserted } = await this.messages.write(
      {
        id: turn.run.replyId,
        threadId: turn.thread.id,
        userId: turn.user.id,
        role: 'assistant',
        content: draft.text,
        status: outcome.status,
        statusReason: outcome.reason,
        parent: turn.parentId,
        replyToId: turn.replyToId,
        citations: await this.localCitations(turn.user.id, draft.citations, tx),
        assistantId: turn.assistant.id,
        model,
        inputTokens: usage?.inputTokens ?? null,
        outputTokens: usage?.outputTokens ?? null,
        cost,
        upstreamResponseId: outcome.responseId ?? null,
      },
      tx,
    );
    await this.threads.recordActivity(
      turn.user.id,
      turn.thread.id,
      { messages: inserted ? 1 : 0, messageWritten: true, leaf: message, inputTokens: usage?.inputTokens ?? 0, outputTokens: usage?.outputTokens ?? 0, cost: cost ?? 0 },
      tx,
    );
    return message;
  }

  /** Citations name OpenAI's file ids; the platform's own ids are what clients know. */
  private async localCitations(userId: string, citations: MessageCitation[], tx: SqlExecutor): Promise<MessageCitation[]> {
    if (citations.length === 0) return [];
    const rows = await this.files.byUpstreamIds(userId, [...new Set(citations.map((citation) => citation.fileId))], tx);
    const local = new Map(rows.map((row) => [row.upstream_file_id, row]));
    return citations.map((citation) => {
      const file = local.get(citation.fileId);
      return file ? { fileId: file.id, filename: file.filename, index: citation.index } : citation;
    });
  }
}
