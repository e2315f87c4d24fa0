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

export type ToolType = 'file_search' | 'web_search' | 'code_interpreter';

export interface AssistantTool {
  type: ToolType;
}

@Entity('assistants')
@Index('assistants_user_id_created_at_idx', ['userId', 'createdAt'])
@Index('assistants_deleted_at_idx', ['deletedAt'])
export class Assistant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  /** The owner (named, not imported: the user entity refers to assistants for its default one). */
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'assistants_user_id_fkey' })
  user?: Relation<object>;

  @Column({ type: 'varchar', length: 256 })
  name!: string;

  @Column({ type: 'varchar', length: 512, nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 128 })
  model!: string;

  @Column({ type: 'text', nullable: true })
  instructions!: string | null;

  @Column({ type: 'double precision', nullable: true })
  temperature!: number | null;

  @Column({ type: 'jsonb' })
  tools!: AssistantTool[];

  @Column({ type: 'jsonb' })
  metadata!: Record<string, string>;

  @Column({ type: 'boolean', default: true })
  isActive!: boolean;

  /**
   * The user turned file_search off while the assistant had documents (by
   * setting tools without it); documents added later then leave tools as
   * they are. Setting tools with file_search clears it.
   */
  @Column({ type: 'boolean', default: false })
  fileSearchOff!: boolean;

  /** The OpenAI vector store holding this assistant's documents, created with the first one. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  vectorStoreId!: string | null;

  /** While in the future, one indexing job is creating the vector store and the others wait for it. */
  @Column({ type: 'timestamptz', nullable: true })
  vectorStoreClaimedUntil!: Date | null;

  /** When it was moved to the trash (null: not in the trash); purged TRASH_RETENTION_DAYS later. */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
