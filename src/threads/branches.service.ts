import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { Transactions } from '../database/sql.js';
import { BranchLimits } from './branch-limits.js';
import { BranchRepository } from './branch.repository.js';
import type { Thread } from './thread.entity.js';
import { ThreadsRepository } from './threads.repository.js';
import { ThreadsService } from './threads.service.js';

/** Moving between a thread's branches, and forking a branch into a thread of its own. */
@Injectable()
export class BranchesService {
  constructor(
    private readonly threads: ThreadsService,
    private readonly threadRows: ThreadsRepository,
    private readonly branches: BranchRepository,
    private readonly limits: BranchLimits,
    private readonly transactions: Transactions,
  ) {}

  /**
   * Makes the branch through a message the active one: from the message down
   * to its newest leaf (always the newest reply). The thread's counters, its
   * export and the next turn's context follow it. Refused while a reply is
   * being written in the thread.
   */
  async activate(userId: string, threadId: string, messageId: string): Promise<Thread> {
    const thread = await this.threads.findOwned(userId, threadId);
    return this.transactions.run(async (tx) => {
      await this.threadRows.lock(userId, thread.id, tx);
      if (await this.threadRows.isAnswering(userId, thread.id, tx)) {
        throw new DomainError('run_in_progress', 'The assistant is answering in this thread; wait for it or cancel it');
      }
      const leaf = await this.branches.latestLeafBelow(userId, thread.id, messageId, tx);
      if (!leaf) throw notFound('Message');
      await this.threadRows.moveToLeaf(userId, thread.id, leaf, tx);
      return (await this.threadRows.findOwned(userId, thread.id, tx))!;
    });
  }

  /**
   * A new thread with copies of the path that ends at a message (its
   * assistant, title and metadata too); the copies carry no usage, counted
   * once on the originals.
   */
  async fork(userId: string, threadId: string, messageId: string): Promise<Thread> {
    const source = await this.threads.findOwned(userId, threadId);
    return this.transactions.run(async (tx) => {
      const copy = await this.threadRows.insert(userId, { assistantId: source.assistantId, title: source.title, metadata: source.metadata }, tx);
      const leaf = await this.branches.copyPath(userId, source.id, messageId, copy.id, tx);
      if (!leaf) throw notFound('Message');
      this.limits.assertRoom({ treeSize: 0 }, leaf.count);
      await this.threadRows.recordActivity(userId, copy.id, { messages: leaf.count, messageWritten: true, leaf }, tx);
      return (await this.threadRows.findOwned(userId, copy.id, tx))!;
    });
  }
}
