import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Thread } from '../threads/thread.entity.js';

/** What a call to a model was for: a reply (stored as the reply message), a thread's title, or its summary. */
export type UsagePurpose = 'reply' | 'title' | 'summary';

const numeric = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/**
 * A call made with a user's key besides the replies (whose usage is kept on
 * the reply message): titles and summaries, with their tokens and cost.
 */
@Entity('model_calls')
@Index('model_calls_user_id_created_at_idx', ['userId', 'createdAt'])
export class ModelCall {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid' })
  threadId!: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'model_calls_thread_id_fkey' })
  thread?: Relation<Thread>;

  /** The thread's assistant when the call was made (null: none). */
  @Column({ type: 'uuid', nullable: true })
  assistantId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  purpose!: UsagePurpose;

  @Column({ type: 'varchar', length: 128 })
  model!: string;

  @Column({ type: 'integer' })
  inputTokens!: number;

  @Column({ type: 'integer' })
  outputTokens!: number;

  /** US dollars, from the configured pricing; null when the model has no price. */
  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true, transformer: numeric })
  cost!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
