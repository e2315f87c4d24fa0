import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Thread } from '../threads/thread.entity.js';

export type RunStatus = 'running' | 'completed' | 'incomplete' | 'cancelled' | 'failed';
export type RunKind = 'chat' | 'run' | 'regenerate' | 'edit';

/**
 * One assistant turn. The partial unique index lets a thread have a single
 * running run; the heartbeat lets another instance take over the thread when
 * the process running it died.
 */
@Entity('runs')
@Index('runs_one_running_per_thread', ['threadId'], { unique: true, where: "status = 'running'" })
@Index('runs_user_id_started_at_idx', ['userId', 'startedAt'])
export class Run {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  threadId!: string;

  @ManyToOne(() => Thread, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'thread_id', foreignKeyConstraintName: 'runs_thread_id_fkey' })
  thread?: Relation<Thread>;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: RunKind;

  @Column({ type: 'varchar', length: 16 })
  status!: RunStatus;

  @Column({ type: 'uuid', nullable: true })
  userMessageId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  assistantMessageId!: string | null;

  @Column({ type: 'boolean', default: false })
  cancelRequested!: boolean;

  @Column({ type: 'varchar', length: 64, nullable: true })
  errorCode!: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  heartbeatAt!: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
