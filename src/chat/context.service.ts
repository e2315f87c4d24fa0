import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Assistant } from '../assistants/assistant.entity.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { FilesService } from '../files/files.service.js';
import type { LlmRequest } from '../llm/llm-types.js';
import type { Thread } from '../threads/thread.entity.js';
import { buildRequest, type Attachment, type HistoryMessage, type TurnOverrides } from './context-builder.js';

/** The messages that count as conversation: not replaced, not still being written, not empty. */
export const CONTEXT_MESSAGES = "status NOT IN ('superseded', 'streaming') AND content <> ''";

/** In full mode at most this many recent messages are read; the token budget trims further. */
const FULL_MODE_READ_LIMIT = 1_000;
const MAX_ATTACHED_TEXT = 100_000;
const TEXT_MIME = /^(text\/|application\/(json|xml|yaml|sql))/;

/** Reads what a turn needs from the database and builds its request. */
@Injectable()
export class ContextService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FilesService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** How many messages a turn reads: the summary window, or up to FULL_MODE_READ_LIMIT (the token budget trims). */
  get historyLimit(): number {
    return this.config.chat.contextMode === 'summary_window' ? this.config.chat.windowMessages : FULL_MODE_READ_LIMIT;
  }

  /**
   * The newest messages of the thread that go into a turn's input, oldest first.
   * @param throughId regenerate: the answered message (later messages are left out)
   * @param excludeId regenerate: the reply being replaced
   */
  async history(threadId: string, throughId: string | null, excludeId: string | null, limit = this.historyLimit): Promise<HistoryMessage[]> {
    const rows = (await this.dataSource.query(
      `SELECT id, role, content, file_ids FROM messages
       WHERE thread_id = $1 AND ${CONTEXT_MESSAGES}
         AND ($2::uuid IS NULL OR id <> $2)
         AND ($3::uuid IS NULL OR seq <= (SELECT seq FROM messages WHERE id = $3))
       ORDER BY seq DESC LIMIT $4`,
      [threadId, excludeId, throughId, limit],
    )) as Array<{ id: string; role: 'user' | 'assistant'; content: string; file_ids: string[] }>;
    return rows.reverse().map((row) => ({ id: row.id, role: row.role, content: row.content, fileIds: row.file_ids }));
  }

  /** The request for a turn, from the thread's history (read here unless given). */
  async build(
    thread: Pick<Thread, 'id' | 'userId' | 'summary'>,
    assistant: Pick<Assistant, 'model' | 'instructions' | 'temperature' | 'tools' | 'vectorStoreId'>,
    overrides: TurnOverrides,
    history: HistoryMessage[],
  ): Promise<LlmRequest> {
    const { contextMode, windowMessages, contextTokenBudget } = this.config.chat;
    const summary = contextMode === 'summary_window' ? thread.summary : null;
    const { request } = buildRequest({
      assistant: {
        model: assistant.model,
        instructions: assistant.instructions,
        temperature: assistant.temperature,
        tools: assistant.tools,
        vectorStoreId: assistant.vectorStoreId,
      },
      summary,
      history,
      attachments: await this.attachments(thread.userId, history),
      overrides,
      settings: { mode: contextMode, windowMessages, tokenBudget: contextTokenBudget },
    });
    return request;
  }

  /** Images become data URLs; text documents are read; other files are named only. */
  private async attachments(userId: string, history: HistoryMessage[]): Promise<Map<string, Attachment>> {
    const ids = [...new Set(history.filter((message) => message.role === 'user').flatMap((message) => message.fileIds))];
    const result = new Map<string, Attachment>();
    for (const file of await this.files.findExisting(userId, ids)) {
      if (file.kind === 'image') {
        result.set(file.id, { kind: 'image', dataUrl: `data:${file.mimeType};base64,${(await this.files.bytes(file)).toString('base64')}` });
      } else if (TEXT_MIME.test(file.mimeType)) {
        result.set(file.id, { kind: 'text', filename: file.filename, text: (await this.files.bytes(file)).toString('utf8').slice(0, MAX_ATTACHED_TEXT) });
      } else {
        result.set(file.id, { kind: 'other', filename: file.filename });
      }
    }
    return result;
  }
}
