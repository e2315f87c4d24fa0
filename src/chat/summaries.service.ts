import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { UserLlm } from '../llm/user-llm.js';
import { MessagesRepository } from '../threads/messages.repository.js';
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
 * covers everything older than the window; the window is sent verbatim.
 */
@Injectable()
export class SummariesService {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly threads: ThreadsRepository,
    private readonly messages: MessagesRepository,
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

  private async refresh(userId: string, threadId: string, llm: UserLlm): Promise<void> {
    const { summarizeAfterMessages, summaryUpdateInterval, windowMessages } = this.config.chat;
    const state = await this.threads.summaryState(userId, threadId);
    if (!state || state.messageCount < summarizeAfterMessages) return;
    if (state.summary !== null && state.messageCount - state.summaryMessageCount < summaryUpdateInterval) return;

    // The oldest message of the window: everything before it belongs in the summary.
    const windowStart = await this.messages.windowStart(userId, threadId, windowMessages);
    if (windowStart === undefined) return;
    const fromSeq = state.summaryThroughSeq ?? '0';
    // Newest first and bounded: a long thread's first summary covers its recent part.
    const older = (await this.messages.between(userId, threadId, fromSeq, windowStart, MAX_SUMMARIZED_MESSAGES)).reverse();
    if (older.length === 0) return;

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
        input: [
          {
            role: 'user',
            content: `${state.summary ? `Summary so far:\n${state.summary}\n\n` : ''}New messages:\n${transcript}`,
          },
        ],
        maxOutputTokens: 600,
      },
      SUMMARY_TIMEOUT_MS,
    );
    if (!summary) return;
    const throughSeq = older[older.length - 1].seq;
    await this.threads.saveSummary(userId, threadId, summary, throughSeq);
  }
}
