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
import { User } from '../auth/user.entity.js';
import type { FileKind } from './content-type.js';

export type FileStatus = 'processing' | 'ready' | 'failed';

@Entity('files')
@Index('files_user_id_created_at_idx', ['userId', 'createdAt'])
@Index('files_user_id_sha256_idx', ['userId', 'sha256'])
export class StoredFile {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'files_user_id_fkey' })
  user?: Relation<User>;

  /** The original name, cleaned of folders and invisible characters. */
  @Column({ type: 'varchar', length: 255 })
  filename!: string;

  /** Where the file sat in an uploaded folder; metadata only. */
  @Column({ type: 'varchar', length: 1024, nullable: true })
  relativePath!: string | null;

  /** Decided from the content, not from the client. */
  @Column({ type: 'varchar', length: 128 })
  mimeType!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: FileKind;

  @Column({ type: 'integer' })
  sizeBytes!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  /** Summary of the upstream work for this file (search indexing). */
  @Column({ type: 'varchar', length: 16, default: 'ready' })
  status!: FileStatus;

  @Column({ type: 'text', nullable: true })
  statusError!: string | null;

  /** The copy uploaded to OpenAI Files, once made. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  upstreamFileId!: string | null;

  /** An image's copy: which key made it (another key may not see it); see UserLlm.keyRef. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  upstreamKeyRef!: string | null;

  /** An image's copy: when OpenAI deletes it. */
  @Column({ type: 'timestamptz', nullable: true })
  upstreamExpiresAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
