import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { MessageRole } from './message.entity.js';
import type { TreeNode } from './branch.repository.js';

/** The rules of a thread's tree: how many versions a message may have, how many messages a thread may hold, where a new version goes. */
@Injectable()
export class BranchLimits {
  private readonly maxVersions: number;
  private readonly maxThreadMessages: number;

  constructor(@InjectConfig() config: AppConfig) {
    this.maxVersions = config.chat.maxMessageVersions;
    this.maxThreadMessages = config.chat.maxThreadMessages;
  }

  /** Refuses one more version of a message that has `versions` already (CHAT_MAX_MESSAGE_VERSIONS). */
  assertVersions(versions: number): void {
    if (versions >= this.maxVersions) {
      throw new DomainError('too_many_versions', `A message may have at most ${this.maxVersions} versions`, [
        { field: 'messageId', message: `At most ${this.maxVersions} versions`, limit: this.maxVersions },
      ]);
    }
  }

  /** Refuses a message more in a thread whose tree is full (CHAT_MAX_THREAD_MESSAGES, all branches together). */
  assertRoom(thread: { treeSize: number }, adding = 1): void {
    if (thread.treeSize + adding > this.maxThreadMessages) {
      throw new DomainError('thread_too_large', `A thread may hold at most ${this.maxThreadMessages} messages; fork it to go on`, [
        { message: `At most ${this.maxThreadMessages} messages`, limit: this.maxThreadMessages },
      ]);
    }
  }

  /**
   * Where a regenerated reply goes: under the message the active leaf (a
   * reply) follows, as its sibling, or under the leaf itself when it is a
   * user message that has no reply yet. Null when there is nothing to answer.
   */
  regenerationPoint(leaf: TreeNode): { id: string; role: MessageRole; seq: number } | null {
    if (leaf.role === 'user') return { id: leaf.id, role: leaf.role, seq: leaf.seq };
    if (leaf.parentId === null || leaf.parentRole === null || leaf.parentSeq === null) return null;
    return { id: leaf.parentId, role: leaf.parentRole, seq: leaf.parentSeq };
  }
}
