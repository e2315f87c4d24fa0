import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../auth/user.entity.js';

export type UpstreamJobKind = 'index_file' | 'detach_file' | 'delete_vector_store' | 'delete_upstream_file';

/**
 * Work to do at OpenAI on a user's behalf, kept in PostgreSQL so that it
 * survives restarts and is shared by every instance (claimed with SKIP LOCKED).
 */
@Entity('upstream_jobs')
@Index('upstream_jobs_run_at_idx', ['runAt'])
@Index('upstream_jobs_user_id_idx', ['userId'])
export class UpstreamJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'upstream_jobs_user_id_fkey' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 32 })
  kind!: UpstreamJobKind;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  runAt!: Date;

  /** Set while an instance works on the job; a crashed instance's claim runs out. */
  @Column({ type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
