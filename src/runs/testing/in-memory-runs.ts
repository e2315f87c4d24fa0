import type { ConversationStore, PublicOf } from '../../threads/testing/in-memory-conversations.js';
import type { Run, RunStatus } from '../run.entity.js';
import type { RunClaim, RunsRepository } from '../runs.repository.js';

export class InMemoryRuns implements PublicOf<RunsRepository> {
  /** What was sent with NOTIFY, in order. */
  readonly notified: Array<{ channel: string; payload: string }> = [];

  constructor(private readonly store: ConversationStore) {}

  private owned(userId: string, runId: string): Run | undefined {
    return this.store.runs.find((run) => run.id === runId && run.userId === userId);
  }

  async claim(claim: RunClaim): Promise<Run | undefined> {
    if (this.store.runs.some((run) => run.threadId === claim.threadId && run.status === 'running')) return undefined;
    const now = new Date();
    const run: Run = {
      id: claim.id,
      threadId: claim.threadId,
      userId: claim.userId,
      kind: claim.kind,
      status: 'running',
      userMessageId: claim.userMessageId,
      assistantMessageId: claim.assistantMessageId,
      cancelRequested: false,
      errorCode: null,
      heartbeatAt: now,
      startedAt: now,
      finishedAt: null,
    };
    this.store.runs.push(run);
    return { ...run };
  }

  async abandonStale(userId: string, threadId: string, staleSeconds: number): Promise<Array<string | null> | undefined> {
    const stale = this.store.runs.filter(
      (run) => run.threadId === threadId && run.userId === userId && run.status === 'running' && Date.now() - run.heartbeatAt.getTime() > staleSeconds * 1000,
    );
    for (const run of stale) Object.assign(run, { status: 'failed', errorCode: 'abandoned', finishedAt: new Date() });
    return stale.length > 0 ? stale.map((run) => run.assistantMessageId) : undefined;
  }

  async heartbeat(userId: string, runId: string): Promise<boolean> {
    const run = this.owned(userId, runId);
    if (!run || run.status !== 'running') return false;
    run.heartbeatAt = new Date();
    return run.cancelRequested;
  }

  async finish(userId: string, runId: string, status: RunStatus, errorCode: string | null): Promise<void> {
    const run = this.owned(userId, runId);
    if (run?.status === 'running') Object.assign(run, { status, errorCode, finishedAt: new Date() });
  }

  async requestCancel(userId: string, threadId: string): Promise<string | undefined> {
    const run = this.store.runs.find((candidate) => candidate.threadId === threadId && candidate.userId === userId && candidate.status === 'running');
    if (run) run.cancelRequested = true;
    return run?.id;
  }

  async status(userId: string, runId: string): Promise<RunStatus | undefined> {
    return this.owned(userId, runId)?.status;
  }

  async notify(channel: string, payload: string): Promise<void> {
    this.notified.push({ channel, payload });
  }
}
