import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { UserLlm } from '../llm/user-llm.js';
import { BranchRepository } from '../threads/branch.repository.js';
import { ThreadsRepository } from '../threads/threads.repository.js';
import { MeteredCalls } from './metered-calls.js';

const SUMMARY_TIMEOUT_MS = 60_000;
const MAX_TRANSCRIPT_CHARS = 60_000;
const MAX_MESSAGE_CHARS = 2_000;
const MAX_SUMMARIZED_MESSAGES = 300;
const INSTRUCTIONS =
  'You keep a running summary of a conversation between a user and an assistant. ' +
  'Update the summary with the new messages. Keep facts, decisions, names, numbers and open questions; ' +
  'drop small talk. Answer with the summary only, at most 250 words.';

/**
 * Rolling summaries for long threads (summary_window context): refreshed in
 * the background every few messages, never delaying a reply. The summary
 * covers everything older than the window; what it does not cover is sent
 * verbatim. Only when a turn cannot carry all of that is it written first.
 */
@Injectable()
export class SummariesService {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly threads: ThreadsRepository,
    private readonly messages: BranchRepository,
    private readonly calls: MeteredCalls,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** Starts a refresh when the thread is due one; returns the work (tests may await it). */
  refreshIfDue(userId: string, threadId: string, llm: UserLlm): Promise<void> | undefined {
    if (this.config.chat.contextMode !== 'summary_window' || this.inFlight.has(threadId)) return undefined;
    this.inFlight.add(threadId);
    const work = this.refresh(userId, threadId, llm)
      .catch((error: unknown) => this.logger.warn({ threadId, err: error }, 'summary refresh failed'))
      .finally(() => this.inFlight.delete(threadId));
    return work;
  }

  /**
   * Writes the summary now, before a turn, so that it covers every message
   * older than `beforeSeq` that it did not cover yet (the turn cannot carry
   * them all). The new summary, or undefined when it could not be written
   * (the turn then goes without those messages).
   */
  async coverBefore(
    thread: { id: string; userId: string; summary: string | null; summaryThroughSeq: number | null },
    llm: UserLlm,
    beforeSeq: number,
  ): Promise<{ summary: string | null } | undefined> {
    try {
      const fromSeq = String(thread.summaryThroughSeq ?? 0);
      const summary = await this.summarize(thread.userId, thread.id, llm, thread.summary, fromSeq, String(beforeSeq));
      return { summary: summary ?? thread.summary };
    } catch (error) {
      this.logger.warn({ threadId: thread.id, err: error }, 'summary before the turn failed; its oldest messages are left out');
      return undefined;
    }
  }

  private async refresh(userId: string, threadId: string, llm: UserLlm): Promise<void> {
    const { summarizeAfterMessages, summaryUpdateInterval, windowMessages } = this.config.chat;
    const state = await this.threads.summaryState(userId, threadId);
    if (!state || state.messageCount < summarizeAfterMessages) return;
    if (state.summary !== null && state.messageCount - state.summaryMessageCount < summaryUpdateInterval) return;

    // The oldest message of the window: everything before it belongs in the summary.
    const windowStart = await this.messages.windowStart(userId, threadId, windowMessages);
    if (windowStart === undefined) return;
    await this.summarize(userId, threadId, llm, state.summary, state.summaryThroughSeq ?? '0', windowStart);
  }

  /**
   * Folds the messages between two positions into the summary and stores it.
   * The new summary, or null when there was nothing to fold in.
   */
  private async summarize(userId: string, threadId: string, llm: UserLlm, previous: string | null, fromSeq: string, toSeq: string): Promise<string | null> {
    // Newest first and bounded: a long thread's first summary covers its recent part.
    const older = (await this.messages.between(userId, threadId, fromSeq, toSeq, MAX_SUMMARIZED_MESSAGES)).reverse();
    if (older.length === 0) return null;

    let transcript = older
      .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content.slice(0, MAX_MESSAGE_CHARS)}`)
      .join('\n\n');
    if (transcript.length > MAX_TRANSCRIPT_CHARS) transcript = transcript.slice(transcript.length - MAX_TRANSCRIPT_CHARS);
    const summary = await this.calls.complete(
      llm,
      { userId, threadId, purpose: 'summary' },
      {
        model: this.config.openai.summaryModel,
        instructions: INSTRUCTIONS,
        input: [{ role: 'user', content: `${previous ? `Summary so far:\n${previous}\n\n` : ''}New messages:\n${transcript}` }],
        maxOutputTokens: 600,
      },
      SUMMARY_TIMEOUT_MS,
    );
    if (!summary) throw new Error('OpenAI answered with an empty summary');
    const throughSeq = older[older.length - 1].seq;
    await this.threads.saveSummary(userId, threadId, summary, throughSeq);
    return summary;
  }
}
