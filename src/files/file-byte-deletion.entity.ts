import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Bytes kept outside the database (FILE_STORAGE=s3) that must go: written in
 * the transaction that deletes their file (or before an account's deletion),
 * removed once the store has deleted the bytes. No foreign keys: the row
 * outlives the file and the account it names.
 */
@Entity('file_byte_deletions')
@Index('file_byte_deletions_next_attempt_at_idx', ['nextAttemptAt'])
export class FileByteDeletion {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'file_byte_deletions_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** Null: every byte of the user (their account is deleted). */
  @Column({ type: 'uuid', nullable: true })
  fileId!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
