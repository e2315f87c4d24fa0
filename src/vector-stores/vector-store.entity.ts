import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Assistant } from '../assistants/assistant.entity.js';
import { StoredFile } from '../files/stored-file.entity.js';

/**
 * A vector store as the /v1 surface names it: a user's named set of their
 * own files. An assistant that uses it gets those files as its documents,
 * which are indexed into the assistant's vector store at OpenAI
 * (Assistant.vectorStoreId) as any document is.
 */
@Entity('vector_stores')
@Index('vector_stores_user_id_created_at_idx', ['userId', 'createdAt'])
export class VectorStore {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'vector_stores_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'vector_stores_user_id_fkey' })
  user?: Relation<object>;

  @Column({ type: 'varchar', length: 256, default: '' })
  name!: string;

  @Column({ type: 'jsonb' })
  metadata!: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** A file in a vector store. */
@Entity('vector_store_files')
// By file first: a file's deletion finds its rows through it.
@Index('vector_store_files_file_id_user_id_idx', ['fileId', 'userId'])
export class VectorStoreFile {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'vector_store_files_pkey' })
  vectorStoreId!: string;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'vector_store_files_pkey' })
  fileId!: string;

  @ManyToOne(() => VectorStore, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'vector_store_id', foreignKeyConstraintName: 'vector_store_files_vector_store_id_fkey' })
  vectorStore?: Relation<VectorStore>;

  @ManyToOne(() => StoredFile, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'file_id', foreignKeyConstraintName: 'vector_store_files_file_id_fkey' })
  file?: Relation<StoredFile>;

  @Column({ type: 'uuid' })
  userId!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/** The vector store an assistant uses for file_search (OpenAI allows one). */
@Entity('assistant_vector_stores')
// By store first: a store's deletion finds its rows through it.
@Index('assistant_vector_stores_vector_store_id_user_id_idx', ['vectorStoreId', 'userId'])
export class AssistantVectorStore {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'assistant_vector_stores_pkey' })
  assistantId!: string;

  @ManyToOne(() => Assistant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assistant_id', foreignKeyConstraintName: 'assistant_vector_stores_assistant_id_fkey' })
  assistant?: Relation<Assistant>;

  @Column({ type: 'uuid' })
  vectorStoreId!: string;

  @ManyToOne(() => VectorStore, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'vector_store_id', foreignKeyConstraintName: 'assistant_vector_stores_vector_store_id_fkey' })
  vectorStore?: Relation<VectorStore>;

  @Column({ type: 'uuid' })
  userId!: string;
}

/** Files added to a store in one request (OpenAI's file batch): its state is that of those files. */
@Entity('vector_store_file_batches')
@Index('vector_store_file_batches_vector_store_id_user_id_idx', ['vectorStoreId', 'userId'])
export class VectorStoreFileBatch {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'vector_store_file_batches_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  vectorStoreId!: string;

  @ManyToOne(() => VectorStore, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'vector_store_id', foreignKeyConstraintName: 'vector_store_file_batches_vector_store_id_fkey' })
  vectorStore?: Relation<VectorStore>;

  @Column({ type: 'uuid' })
  userId!: string;

  @Column({ type: 'uuid', array: true })
  fileIds!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
