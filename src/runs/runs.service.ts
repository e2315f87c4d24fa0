import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import type { Message } from '../threads/message.entity.js';
import { MessagesRepository } from '../threads/messages.repository.js';
import type { RunKind, RunStatus } from './run.entity.js';
import { RunRegistry } from './run-registry.js';
import { RunsRepository } from './runs.repository.js';
import { TurnStartRepository } from './turn-start.repository.js';

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
  /** The user's message that starts the turn (none for run and regenerate): under the active leaf, or (an edit) under parentId. */
  userMessage?: { content: string; fileIds: string[]; replyToId: string | null; parentId?: string | null };
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
    private readonly turnStart: TurnStartRepository,
    private readonly messages: MessagesRepository,
    private readonly transactions: Transactions,
    private readonly registry: RunRegistry,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Starts a turn in one statement: creates the thread when it is new,
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

  private async tryBegin(start: TurnStart): Promise<BegunTurn | undefined> {
    const run = { id: randomUUID(), replyId: randomUUID() };
    const claim = {
      id: run.id,
      threadId: start.threadId,
      userId: start.userId,
      kind: start.kind,
      assistantMessageId: run.replyId,
      userMessageId: start.userMessage ? randomUUID() : null,
    };
    const started = await this.turnStart.begin({ claim, newThread: start.newThread, assistantId: start.assistantId, question: start.userMessage });
    return started && { run, ...started };
  }

  /**
   * Closes the thread's running run if its heartbeat went stale (its
   * instance died), its partial reply kept as incomplete; true when it did.
   */
  closeIfStale(userId: string, threadId: string): Promise<boolean> {
    return this.takeOverStale(userId, threadId);
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
