import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { messageSearchExpression } from '../database/search-language.js';
import { Thread } from './thread.entity.js';

export type MessageRole = 'user' | 'assistant';
/**
 * completed: whole; streaming: a reply being written; incomplete: the reply
 * broke off (the reason says why); cancelled: stopped by the user. A replaced
 * reply or an edited message keeps its status: it is a sibling of its new
 * version, off the active branch.
 */
export type MessageStatus = 'completed' | 'streaming' | 'incomplete' | 'cancelled';

export interface MessageCitation {
  fileId: string;
  filename: string;
  index: number;
}

const numeric = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

@Entity('messages')
@Index('messages_thread_id_seq_idx', ['threadId', 'seq'])
@Index('messages_user_id_created_at_idx', ['userId', 'createdAt'])
@Index('messages_thread_id_parent_id_seq_idx', ['threadId', 'parentId', 'seq'])
// GIN on search_document(search_vector, user_id, created_at): an expression index, kept by the migrations.
@Index('messages_search_document_idx', { synchronize: false })
export class Message {
  /** Replies get their id before they are stored, so streamed events and the row agree. */
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Position in the conversation: increases with every message, across all threads. */
  @Column({ type: 'bigint', unique: false, transformer: numeric })
  @Generated('increment')
  seq!: number;

  @Column({ type: 'uuid' })
  threadId!: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'messages_thread_id_fkey' })
  thread?: Relation<Thread>;

  @Column({ type: 'uuid' })
  userId!: string;

  /** The message this one follows in the conversation's tree (null: a first message); its siblings are its other versions. */
  @Column({ type: 'uuid', nullable: true })
  parentId!: string | null;

  /** Its place on its branch: 1 for a first message, the parent's depth + 1 below it. */
  @Column({ type: 'integer', default: 1 })
  depth!: number;

  @Column({ type: 'varchar', length: 16 })
  role!: MessageRole;

  @Column({ type: 'text' })
  content!: string;

  @Column({ type: 'varchar', length: 16, default: 'completed' })
  status!: MessageStatus;

  /** Why a reply is incomplete (e.g. max_output_tokens, upstream_unavailable, client_disconnected). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  statusReason!: string | null;

  @Column({ type: 'uuid', nullable: true })
  replyToId!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  fileIds!: string[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  citations!: MessageCitation[];

  /** The assistant that answered (replies only); kept for usage reports. */
  @Column({ type: 'uuid', nullable: true })
  assistantId!: string | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  model!: string | null;

  @Column({ type: 'integer', nullable: true })
  inputTokens!: number | null;

  @Column({ type: 'integer', nullable: true })
  outputTokens!: number | null;

  /** US dollars, from the configured pricing; null when the model has no price. */
  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true, transformer: numeric })
  cost!: number | null;

  @Column({ type: 'varchar', length: 128, nullable: true })
  upstreamResponseId!: string | null;

  /** Up to 16 string pairs a program attaches (OpenAI's message metadata): read and written by the /v1 routes only. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  metadata?: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  /** The words of the message for full-text search (built by PostgreSQL; its language: SEARCH_LANGUAGE, see database/search-language.ts). */
  @Column({ type: 'tsvector', nullable: true, generatedType: 'STORED', asExpression: messageSearchExpression('simple'), insert: false, update: false, select: false })
  searchVector?: string;
}
