import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { UserLlm } from '../llm/user-llm.js';

const SUMMARY_TIMEOUT_MS = 60_000;
const MAX_TRANSCRIPT_CHARS = 60_000;
const MAX_MESSAGE_CHARS = 2_000;
const MAX_SUMMARIZED_MESSAGES = 300;
const INSTRUCTIONS =
  'You keep a running summary of a conversation between a user and an assistant. ' +
  'Update the summary with the new messages. Keep facts, decisions, names, numbers and open questions; ' +
  'drop small talk. Answer with the summary only, at most 250 words.';

interface SummaryState {
  id: string;
  summary: string | null;
  summary_through_seq: string | null;
  message_count: number;
  summary_message_count: number;
}

/**
 * Rolling summaries for long threads (summary_window context): refreshed in
 * the background every few messages, never delaying a reply. The summary
 * covers everything older than the window; the window is sent verbatim.
 */
@Injectable()
export class SummariesService {
  private readonly inFlight = new Set<string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** Starts a refresh when the thread is due one; returns the work (tests may await it). */
  refreshIfDue(threadId: string, llm: UserLlm): Promise<void> | undefined {
    if (this.config.chat.contextMode !== 'summary_window' || this.inFlight.has(threadId)) return undefined;
    this.inFlight.add(threadId);
    const work = this.refresh(threadId, llm)
      .catch((error: unknown) => this.logger.warn({ threadId, err: error }, 'summary refresh failed'))
      .finally(() => this.inFlight.delete(threadId));
    return work;
  }

  private async refresh(threadId: string, llm: UserLlm): Promise<void> {
    const { summarizeAfterMessages, summaryUpdateInterval, windowMessages } = this.config.chat;
    const [state] = (await this.dataSource.query(
      'SELECT id, summary, summary_through_seq, message_count, summary_message_count FROM threads WHERE id = $1',
      [threadId],
    )) as SummaryState[];
    if (!state || state.message_count < summarizeAfterMessages) return;
    if (state.summary !== null && state.message_count - state.summary_message_count < summaryUpdateInterval) return;

    // The oldest message of the window: everything before it belongs in the summary.
    const [windowStart] = (await this.dataSource.query(
      `SELECT seq FROM messages WHERE thread_id = $1 AND status <> 'superseded'
       ORDER BY seq DESC OFFSET $2 LIMIT 1`,
      [threadId, windowMessages - 1],
    )) as Array<{ seq: string }>;
    if (!windowStart) return;
    const fromSeq = state.summary_through_seq ?? '0';
    // Newest first and bounded: a long thread's first summary covers its recent part.
    const older = (
      (await this.dataSource.query(
        `SELECT seq, role, content FROM messages
         WHERE thread_id = $1 AND status <> 'superseded' AND seq > $2 AND seq < $3 AND content <> ''
         ORDER BY seq DESC LIMIT $4`,
        [threadId, fromSeq, windowStart.seq, MAX_SUMMARIZED_MESSAGES],
      )) as Array<{ seq: string; role: string; content: string }>
    ).reverse();
    if (older.length === 0) return;

    let transcript = older
      .map((message) => `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content.slice(0, MAX_MESSAGE_CHARS)}`)
      .join('\n\n');
    if (transcript.length > MAX_TRANSCRIPT_CHARS) transcript = transcript.slice(transcript.length - MAX_TRANSCRIPT_CHARS);
    const summary = await llm.complete(
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
    await this.dataSource.query(
      `UPDATE threads SET summary = $2, summary_through_seq = $3, summary_message_count = message_count,
         summary_updated_at = now(), updated_at = now()
       WHERE id = $1 AND (summary_through_seq IS NULL OR summary_through_seq < $3)`,
      [threadId, summary, throughSeq],
    );
  }
}
