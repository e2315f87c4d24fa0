import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { UserLlm } from '../llm/user-llm.js';
import { ThreadsRepository } from '../threads/threads.repository.js';
import { MeteredCalls } from './metered-calls.js';

const TITLE_TIMEOUT_MS = 15_000;
const MAX_TITLE = 80;
const INSTRUCTIONS =
  'Write a short title (at most six words) for a conversation that starts with the user message below. ' +
  'Answer with the title only: no quotes, no final punctuation.';

/** The first words of a message, as a title of last resort. */
export function fallbackTitle(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').slice(0, 6).join(' ');
  if (words.length === 0) return 'New conversation';
  return words.length > MAX_TITLE ? `${words.slice(0, MAX_TITLE - 1)}…` : words;
}

export function cleanTitle(raw: string): string {
  const title = raw
    .replace(/[\r\n]+/g, ' ')
    .replace(/^(title:\s*)/i, '')
    .replace(/^["'“”‘’`*#\s]+|["'“”‘’`*.\s]+$/g, '')
    .trim();
  return title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title;
}

/** Short generated titles for untitled threads, from a small model; never fails. */
@Injectable()
export class TitlesService {
  constructor(
    private readonly threads: ThreadsRepository,
    private readonly calls: MeteredCalls,
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  get enabled(): boolean {
    return this.config.chat.autoTitles;
  }

  /**
   * Generates and stores a title (unless the thread got one meanwhile);
   * resolves to the title the thread ends up with.
   */
  async titleThread(userId: string, threadId: string, llm: UserLlm, firstMessage: string): Promise<string | null> {
    let title: string;
    try {
      title = cleanTitle(
        await this.calls.complete(
          llm,
          { userId, threadId, purpose: 'title' },
          {
            model: this.config.openai.titleModel,
            instructions: INSTRUCTIONS,
            input: [{ role: 'user', content: firstMessage.slice(0, 2_000) }],
            maxOutputTokens: 32,
          },
          TITLE_TIMEOUT_MS,
        ),
      );
      if (title.length === 0) title = fallbackTitle(firstMessage);
    } catch (error) {
      this.logger.info({ threadId, err: error }, 'title generation failed; using the first words');
      title = fallbackTitle(firstMessage);
    }
    try {
      return await this.threads.setTitleIfNone(userId, threadId, title);
    } catch (error) {
      this.logger.warn({ threadId, err: error }, 'could not store the thread title');
      return null;
    }
  }
}
