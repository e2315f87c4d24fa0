import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  type Relation,
} from 'typeorm';
import { Assistant } from '../assistants/assistant.entity.js';
import { User } from '../auth/user.entity.js';
import { titleSearchExpression } from '../database/search-language.js';

@Entity('threads')
@Index('threads_user_id_assistant_id_idx', ['userId', 'assistantId'])
@Index('threads_deleted_at_idx', ['deletedAt'])
@Index('threads_user_id_title_search_vector_idx', ['userId', 'titleSearchVector'], { type: 'gin' })
// On the owner's trashed and archived threads only (a partial index, kept by the migrations).
@Index('threads_user_id_hidden_idx', { synchronize: false })
// The list's order outside the trash (partial, descending: kept by the migrations).
@Index('threads_user_id_listed_idx', { synchronize: false })
export class Thread {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'threads_user_id_fkey' })
  user?: Relation<User>;

  /** Null once the assistant is deleted; the conversation stays readable. */
  @Column({ type: 'uuid', nullable: true })
  assistantId!: string | null;

  @ManyToOne(() => Assistant, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'assistant_id', foreignKeyConstraintName: 'threads_assistant_id_fkey' })
  assistant?: Relation<Assistant> | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  @Column({ type: 'boolean', default: false })
  isArchived!: boolean;

  /** The user's own string pairs (at most 16), as OpenAI's threads had them. */
  @Column({ type: 'jsonb', default: {} })
  metadata!: Record<string, string>;

  /** Rolling summary of the older part of the conversation (summary_window context). */
  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  /** The number of messages the thread had when the summary was last written. */
  @Column({ type: 'integer', default: 0 })
  summaryMessageCount!: number;

  /** The last message (by seq) the summary covers; newer ones are sent verbatim. */
  @Column({ type: 'bigint', nullable: true, transformer: { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) } })
  summaryThroughSeq!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  summaryUpdatedAt!: Date | null;

  /** The messages on the active branch (its leaf's depth). */
  @Column({ type: 'integer', default: 0 })
  messageCount!: number;

  /** The last message of the active branch: what is shown, counted and sent as context (null: no messages). */
  @Column({ type: 'uuid', nullable: true })
  activeLeafId!: string | null;

  /** Every message of the thread, on any branch (bounded by CHAT_MAX_THREAD_MESSAGES). */
  @Column({ type: 'integer', default: 0 })
  treeSize!: number;

  @Column({ type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  inputTokens!: number;

  @Column({ type: 'bigint', default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  outputTokens!: number;

  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: { to: (value: number) => value, from: (value: string) => Number(value) } })
  totalCost!: number;

  @Column({ type: 'timestamptz', nullable: true })
  lastMessageAt!: Date | null;

  /** Orders the thread list: creation, then every new message. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  lastActivityAt!: Date;

  /** When it was moved to the trash (null: not in the trash); purged TRASH_RETENTION_DAYS later. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** The title's words for full-text search (built by PostgreSQL, see database/search-language.ts). */
  @Column({ type: 'tsvector', nullable: true, generatedType: 'STORED', asExpression: titleSearchExpression('simple'), insert: false, update: false, select: false })
  titleSearchVector?: string;
}
