import { AssistantFile } from '../documents/assistant-file.entity.js';
import { Assistant } from '../assistants/assistant.entity.js';
import { Run } from '../runs/run.entity.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { FileChunk } from '../files/file-chunk.entity.js';
import { FileByteDeletion } from '../files/file-byte-deletion.entity.js';
import { StoredFile } from '../files/stored-file.entity.js';
import { UpstreamJob } from '../upstream-sync/upstream-job.entity.js';
import { SessionRecord } from '../auth/session-record.entity.js';
import { User } from '../auth/user.entity.js';
import { ModelCall } from '../usage/model-call.entity.js';
import { MessageFeedback } from '../feedback/message-feedback.entity.js';
import { ThreadShare } from '../shares/thread-share.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { Invite } from '../auth/invite.entity.js';
import { SignupSettings } from '../auth/signup-settings.entity.js';
import { BudgetReservation } from '../budgets/budget-reservation.entity.js';
import { BudgetSettings } from '../budgets/budget-settings.entity.js';
import { BudgetSpend } from '../budgets/budget-spend.entity.js';
import { UserBudget } from '../budgets/user-budget.entity.js';
import { ApiToken } from '../api-tokens/api-token.entity.js';
import { AssistantVectorStore, VectorStore, VectorStoreFile, VectorStoreFileBatch } from '../vector-stores/vector-store.entity.js';
import { RateLimitCounter } from '../common/rate-limit/rate-limit-counter.entity.js';

/** Every entity of the platform, listed explicitly (no file globs in an ESM build). */
export const ENTITIES: Function[] = [
  User,
  SessionRecord,
  RateLimitCounter,
  Assistant,
  StoredFile,
  FileChunk,
  FileByteDeletion,
  AssistantFile,
  UpstreamJob,
  Thread,
  Message,
  Run,
  ModelCall,
  MessageFeedback,
  ThreadShare,
  SignupSettings,
  Invite,
  AuditEntry,
  BudgetSettings,
  UserBudget,
  BudgetReservation,
  BudgetSpend,
  ApiToken,
  VectorStore,
  VectorStoreFile,
  AssistantVectorStore,
  VectorStoreFileBatch,
];
