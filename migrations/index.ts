import { Initial1795325000379 } from './1795325000379-Initial.js';
import { AssistantsAndFiles1795325964366 } from './1795325964366-AssistantsAndFiles.js';
import { ThreadsMessagesRuns1795327529190 } from './1795327529190-ThreadsMessagesRuns.js';
import { VectorStoreClaim1796161038657 } from './1796161038657-VectorStoreClaim.js';
import { ImageCopies1796398801250 } from './1796398801250-ImageCopies.js';
import { FileByteDeletions1796457973431 } from './1796457973431-FileByteDeletions.js';
import { ModelCalls1796458077897 } from './1796458077897-ModelCalls.js';
import { FileSearchOff1796471230001 } from './1796471230001-FileSearchOff.js';
import { FileContentIndex1796471230002 } from './1796471230002-FileContentIndex.js';
import { ThreadMetadata1796471230003 } from './1796471230003-ThreadMetadata.js';
import { Trash1796500000000 } from './1796500000000-Trash.js';
import { ConversationSearch1796500000101 } from './1796500000101-ConversationSearch.js';
import { MessageFeedback1796500000102 } from './1796500000102-MessageFeedback.js';
import { ThreadShares1796500000103 } from './1796500000103-ThreadShares.js';
import { ConversationTree1796600000000 } from './1796600000000-ConversationTree.js';
import { AdminsSignupAudit1796600000001 } from './1796600000001-AdminsSignupAudit.js';
import { Budgets1796700000000 } from './1796700000000-Budgets.js';
import { ApiTokens1796700000100 } from './1796700000100-ApiTokens.js';
import { MessageMetadata1796700000101 } from './1796700000101-MessageMetadata.js';
import { SearchByUser1796700000200 } from './1796700000200-SearchByUser.js';
import { VectorStores1796700000300 } from './1796700000300-VectorStores.js';
import { VectorStoreFileBatches1796700000301 } from './1796700000301-VectorStoreFileBatches.js';
import { SearchTimeWindows1796800000000 } from './1796800000000-SearchTimeWindows.js';
import { ThreadListIndex1796900000000 } from './1796900000000-ThreadListIndex.js';
import { UsersByCreation1796900000001 } from './1796900000001-UsersByCreation.js';
import { UnloggedRateLimitCounters1797000000000 } from './1797000000000-UnloggedRateLimitCounters.js';

/** Every migration, oldest first. `npm run migration:generate` appends new ones here. */
export const MIGRATIONS: Function[] = [
  Initial1795325000379,
  AssistantsAndFiles1795325964366,
  ThreadsMessagesRuns1795327529190,
  VectorStoreClaim1796161038657,
  ImageCopies1796398801250,
  FileByteDeletions1796457973431,
  ModelCalls1796458077897,
  FileSearchOff1796471230001,
  FileContentIndex1796471230002,
  ThreadMetadata1796471230003,
  Trash1796500000000,
  ConversationSearch1796500000101,
  MessageFeedback1796500000102,
  ThreadShares1796500000103,
  ConversationTree1796600000000,
  AdminsSignupAudit1796600000001,
  Budgets1796700000000,
  ApiTokens1796700000100,
  MessageMetadata1796700000101,
  SearchByUser1796700000200,
  VectorStores1796700000300,
  VectorStoreFileBatches1796700000301,
  SearchTimeWindows1796800000000,
  ThreadListIndex1796900000000,
  UsersByCreation1796900000001,
  UnloggedRateLimitCounters1797000000000,
];
