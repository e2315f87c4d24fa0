import { Injectable } from '@nestjs/common';
import { FeedbackRepository } from '../feedback/feedback.repository.js';
import { toMessageFeedback } from '../feedback/feedback.service.js';
import type { ExportedMessage } from './thread-export.js';
import { ThreadsService } from './threads.service.js';

/** What a thread's export reads: its conversation a page at a time, each message with the owner's rating of it. */
@Injectable()
export class ThreadExportsService {
  constructor(
    private readonly threads: ThreadsService,
    private readonly feedback: FeedbackRepository,
  ) {}

  async *pages(userId: string, threadId: string, pageSize: number): AsyncGenerator<ExportedMessage[]> {
    for await (const page of this.threads.conversationPages(userId, threadId, pageSize)) {
      const ratings = new Map((await this.feedback.forMessages(userId, page.map((message) => message.id))).map((row) => [row.message_id, row]));
      yield page.map((message) => {
        const rating = ratings.get(message.id);
        return Object.assign(message, { feedback: rating ? toMessageFeedback(rating) : null });
      });
    }
  }
}
