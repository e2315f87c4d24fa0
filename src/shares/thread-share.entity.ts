import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Thread } from '../threads/thread.entity.js';

/** A message as a share link shows it: frozen when the link was made. */
export interface SharedMessage {
  role: 'user' | 'assistant';
  content: string;
  createdAt: string;
  /**
   * Only when the owner chose to include files: what was attached (names,
   * types, sizes) and the files cited. The file's id stays here: the public
   * read names a file by its position in the snapshot.
   */
  files?: Array<{ fileId: string; filename: string; contentType: string; size: number }>;
  sources?: string[];
}

/**
 * A read-only snapshot of a thread behind an unguessable token. Only the
 * token's SHA-256 is kept: the link is shown once, when it is made, and a
 * copy of this table (a backup, a replica) opens no conversation.
 */
@Entity('thread_shares')
@Index('thread_shares_user_id_created_at_idx', ['userId', 'createdAt'])
@Index('thread_shares_thread_id_idx', ['threadId'])
export class ThreadShare {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'thread_shares_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  threadId!: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'thread_shares_thread_id_fkey' })
  thread?: Relation<Thread>;

  @Index('thread_shares_token_hash_idx', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'varchar', length: 200, nullable: true })
  title!: string | null;

  @Column({ type: 'jsonb' })
  messages!: SharedMessage[];

  @Column({ type: 'integer' })
  messageCount!: number;

  @Column({ type: 'boolean', default: false })
  includeFiles!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
