import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { StoredFile, type FileStatus } from '../files/stored-file.entity.js';
import { Assistant } from '../assistants/assistant.entity.js';

/** A document attached to an assistant, and the state of its copy in the assistant's vector store. */
@Entity('assistant_files')
@Index('assistant_files_user_id_idx', ['userId'])
@Index('assistant_files_file_id_idx', ['fileId'])
export class AssistantFile {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'assistant_files_pkey' })
  assistantId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'assistant_files_pkey' })
  fileId!: string;

  @ManyToOne(() => Assistant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assistant_id', foreignKeyConstraintName: 'assistant_files_assistant_id_fkey' })
  assistant?: Relation<Assistant>;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'assistant_files_file_id_fkey' })
  file?: Relation<StoredFile>;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 16, default: 'processing' })
  status!: FileStatus;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
