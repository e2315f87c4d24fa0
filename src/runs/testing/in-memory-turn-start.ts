import type { InMemoryMessages } from '../../threads/testing/in-memory-messages.js';
import type { InMemoryThreads, PublicOf } from '../../threads/testing/in-memory-conversations.js';
import type { TurnStarted, TurnStartRepository, TurnStartWrite } from '../turn-start.repository.js';
import type { InMemoryRuns } from './in-memory-runs.js';

/** The turn's start over the in-memory tables, step by step (the statement's parts in their order). */
export class InMemoryTurnStart implements PublicOf<TurnStartRepository> {
  constructor(
    private readonly runs: InMemoryRuns,
    private readonly threads: InMemoryThreads,
    private readonly messages: InMemoryMessages,
  ) {}

  async begin(start: TurnStartWrite): Promise<TurnStarted | undefined> {
    const { claim, question } = start;
    if (start.newThread) await this.threads.insert(claim.userId, { ...start.newThread, id: claim.threadId });
    if (!(await this.runs.claim(claim))) return undefined;
    let userMessage = null;
    if (question) {
      const { parentId, ...content } = question;
      const parent = start.newThread ? null : parentId === undefined ? ('active-leaf' as const) : parentId;
      const write = { id: claim.userMessageId!, threadId: claim.threadId, userId: claim.userId, role: 'user' as const, status: 'completed' as const, ...content, parent };
      userMessage = (await this.messages.write(write)).message;
    }
    const count = await this.threads.recordActivity(claim.userId, claim.threadId, {
      messages: question ? 1 : 0,
      messageWritten: question !== undefined,
      assistantId: start.assistantId,
      leaf: userMessage ?? undefined,
    });
    return { userMessage, threadMessageCount: start.newThread ? null : (count ?? null) };
  }
}
