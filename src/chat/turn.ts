import type { AdmittedTurn } from '../budgets/budget-admission.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { TokenUsage } from '../llm/llm-types.js';
import type { ClaimedRun } from '../runs/runs.service.js';
import type { RunKind, RunStatus } from '../runs/run.entity.js';
import type { Message, MessageCitation, MessageStatus } from '../threads/message.entity.js';
import type { MessageResponse } from '../threads/threads.dto.js';
import type { TurnOptionsDto } from './chat.dto.js';
import type { HistoryMessage } from './context-builder.js';
import type { TurnAssistant, TurnThread, TurnUser } from './turn-scopes.repository.js';

/** Where a turn's progress goes: an SSE stream, or a collector for the JSON reply. */
export interface TurnEvents {
  /** The turn claimed its run (the reply will be stored under `run.replyId`). */
  runStarted?(run: ClaimedRun): void;
  messageCreated(message: MessageResponse): void;
  /** Text deltas in the order they arrived (all of one network read at once). */
  tokens(deltas: string[]): void;
  completed(message: MessageResponse): void;
  title(title: string): void;
  /** The user's budget is past its soft limit (sent as the turn starts). */
  budgetWarning(warning: { usedPercent: number; resetsAt: string }): void;
  failed(error: DomainError, partial: MessageResponse | null): void;
}

export interface TurnResult {
  threadId: string;
  userMessageId: string | null;
  reply: Message | null;
  title: string | null;
  error: DomainError | null;
}

/** A claimed turn, ready to execute. */
export interface Turn {
  user: TurnUser;
  thread: TurnThread;
  assistant: TurnAssistant;
  run: ClaimedRun;
  kind: RunKind;
  /** The user message the reply answers. */
  replyToId: string | null;
  /**
   * The message the reply follows in the thread's tree; the input is the path
   * that ends there. A regenerated reply so becomes a sibling of the one it
   * replaces, and the reply to an edited message starts its new branch.
   */
  parentId: string;
  options: TurnOptionsDto;
  /** The first user message of a new, untitled thread (for its title). */
  titleFrom: string | null;
  /** The input's messages, when they were read with the turn's scope; read after the claim otherwise. */
  history?: HistoryMessage[];
  /** What the turn holds of its user's budget until its usage is stored (none in tests that leave budgets out). */
  budget?: AdmittedTurn;
}

/** The reply as it streams in: its deltas are joined only when the text is read. */
export class ReplyDraft {
  private parts: string[] = [];
  length = 0;
  readonly citations: MessageCitation[] = [];

  append(deltas: string[]): void {
    for (const delta of deltas) {
      this.parts.push(delta);
      this.length += delta.length;
    }
  }

  get text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join('')];
    return this.parts[0] ?? '';
  }
}

/** How the upstream reply ended, when it ended in an answer. */
export type StreamOutcome =
  | { status: 'completed'; responseId: string; model: string; usage: TokenUsage | null }
  | { status: 'incomplete'; responseId: string; model: string; usage: TokenUsage | null; reason: string };

/** What is stored of a turn's end: the reply's status and the run's. */
export interface StoredOutcome {
  status: MessageStatus;
  reason: string | null;
  runStatus: RunStatus;
  errorCode: string | null;
  responseId?: string;
  model?: string;
  usage?: TokenUsage | null;
}
