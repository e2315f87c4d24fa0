import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One event of the audit log: who did what to whom, from where and when.
 * Actor and target keep their e-mail as it was, so the entry outlives the
 * account; the detail never holds a secret.
 */
@Entity('audit_log')
@Index('audit_log_created_at_idx', ['createdAt'])
@Index('audit_log_action_created_at_idx', ['action', 'createdAt'])
@Index('audit_log_actor_id_created_at_idx', ['actorId', 'createdAt'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint', primaryKeyConstraintName: 'audit_log_pkey' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  actorEmail!: string | null;

  @Column({ type: 'uuid', nullable: true })
  targetId!: string | null;

  @Column({ type: 'varchar', length: 320, nullable: true })
  targetEmail!: string | null;

  /** The client's address as the server saw it (after the trusted proxies). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  address!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  detail!: Record<string, unknown>;
}
