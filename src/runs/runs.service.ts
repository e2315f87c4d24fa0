import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import type { Message } from '../threads/message.entity.js';
import { MessagesRepository } from '../threads/messages.repository.js';
import { ThreadsRepository } from '../threads/threads.repository.js';
import type { RunKind, RunStatus } from './run.entity.js';
import { RunRegistry } from './run-registry.js';
import { RunsRepository } from './runs.repository.js';

export interface ClaimedRun {
  id: string;
  /** The id the reply will be stored under. */
  replyId: string;
}

export interface TurnStart {
  threadId: string;
  userId: string;
  kind: RunKind;
  /** Creates the thread with the turn (a new conversation; no assistant: a plain chat). */
  newThread?: { assistantId: string | null; title: string | null };
  /** Moves an existing thread to this assistant. */
  assistantId?: string;
  /** The user's message that starts the turn (none for run and regenerate). */
  userMessage?: { content: string; fileIds: string[]; replyToId: string | null };
}

export interface BegunTurn {
  run: ClaimedRun;
  userMessage: Message | null;
  /** An existing thread's message count after this turn's message, as of the latest commit. */
  threadMessageCount: number | null;
}

/** Runs: one running per thread, claimed with the turn's start, ended with its outcome, cancelled from anywhere. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly threads: ThreadsRepository,
    private readonly messages: MessagesRepository,
    private readonly transactions: Transactions,
    private readonly registry: RunRegistry,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Starts a turn in one transaction: creates the thread when it is new,
   * claims it with a running run (the partial unique index allows one), and
   * stores the user's message with the thread's counters. A run whose
   * heartbeat went stale (its process died) is closed first, its partial
   * reply kept as incomplete; a live run makes this a 409 run_in_progress.
   */
  async begin(start: TurnStart): Promise<BegunTurn> {
    let begun = await this.tryBegin(start);
    if (!begun && !start.newThread && (await this.takeOverStale(start.userId, start.threadId))) begun = await this.tryBegin(start);
    if (!begun) {
      throw new DomainError('run_in_progress', 'The assistant is already answering in this thread; wait for it or cancel it');
    }
    return begun;
  }

  private tryBegin(start: TurnStart): Promise<BegunTurn | undefined> {
    const { userId, threadId } = start;
    const run = { id: randomUUID(), replyId: randomUUID() };
    const message = start.userMessage;
    const messageId = message ? randomUUID() : null;
    return this.transactions.run(async (tx) => {
      if (start.newThread) await this.threads.insert(userId, { id: threadId, ...start.newThread }, tx);
      // The message's place in the thread is taken before the claim, which may wait for the thread.
      const seq = message ? await this.messages.reserveSeq(tx) : undefined;
      const claimed = await this.runs.claim(
        { id: run.id, threadId, userId, kind: start.kind, assistantMessageId: run.replyId, userMessageId: messageId },
        tx,
      );
      if (!claimed) return undefined;
      const userMessage = message && messageId ? await this.writeQuestion(start, messageId, seq, tx) : null;
      const count = await this.threads.recordActivity(
        userId,
        threadId,
        { messages: userMessage ? 1 : 0, messageWritten: userMessage !== null, assistantId: start.assistantId },
        tx,
      );
      return { run, userMessage, threadMessageCount: start.newThread ? null : (count ?? null) };
    });
  }

  /** The user's message that starts the turn, in the place reserved for it. */
  private async writeQuestion(start: TurnStart, id: string, seq: string | undefined, tx: SqlExecutor): Promise<Message> {
    const { content, fileIds, replyToId } = start.userMessage!;
    const written = await this.messages.write(
      { id, seq, threadId: start.threadId, userId: start.userId, role: 'user', content, status: 'completed', fileIds, replyToId },
      tx,
    );
    return written.message;
  }

  /** Closes the thread's running run if its heartbeat went stale; true when it did. */
  private takeOverStale(userId: string, threadId: string): Promise<boolean> {
    return this.transactions.run(async (tx) => {
      const replies = await this.runs.abandonStale(userId, threadId, this.config.chat.runStaleAfterSeconds, tx);
      if (!replies) return false;
      await this.messages.markInterrupted(
        userId,
        replies.filter((id): id is string => id !== null),
        tx,
      );
      return true;
    });
  }

  /** Proves the run is alive; answers whether a cancel was asked for meanwhile. */
  async heartbeat(userId: string, runId: string): Promise<{ cancelRequested: boolean }> {
    return { cancelRequested: await this.runs.heartbeat(userId, runId) };
  }

  finish(userId: string, runId: string, status: RunStatus, errorCode: string | null, db?: SqlExecutor): Promise<void> {
    return this.runs.finish(userId, runId, status, errorCode, db);
  }

  /**
   * Asks the thread's running run to stop, on whichever instance runs it
   * (409 when nothing is running); its id.
   */
  async cancel(userId: string, threadId: string): Promise<string> {
    const runId = await this.runs.requestCancel(userId, threadId);
    if (!runId) throw new DomainError('no_run_in_progress', 'Nothing is running in this thread');
    await this.registry.broadcastCancel(runId, (channel, payload) => this.runs.notify(channel, payload));
    return runId;
  }

  status(userId: string, runId: string): Promise<RunStatus | undefined> {
    return this.runs.status(userId, runId);
  }
}
