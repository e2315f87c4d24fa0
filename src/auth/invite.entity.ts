import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

/** An invite link: its token is only ever stored as a SHA-256 hash. */
@Entity('invites')
export class Invite {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'invites_pkey' })
  id!: string;

  @Index('invites_token_hash_key', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  /** Sign-ups the invite allows (1: single-use). */
  @Column({ type: 'integer' })
  maxUses!: number;

  @Column({ type: 'integer', default: 0 })
  uses!: number;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'invites_created_by_fkey' })
  creator?: { id: string } | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
