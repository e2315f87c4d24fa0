import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';

export type ApiTokenScope = 'read' | 'write' | 'chat';
export const API_TOKEN_SCOPES: readonly ApiTokenScope[] = ['read', 'write', 'chat'];

/** A personal API token: only its SHA-256 is stored, with a short prefix to recognise it by. */
@Entity('api_tokens')
@Index('api_tokens_user_id_created_at_idx', ['userId', 'createdAt'])
export class ApiToken {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'api_tokens_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'api_tokens_user_id_fkey' })
  user?: Relation<object>;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'text', array: true })
  scopes!: ApiTokenScope[];

  @Index('api_tokens_token_hash_key', { unique: true })
  @Column({ type: 'bytea' })
  tokenHash!: Buffer;

  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  /** Null: the token does not expire. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  /** Written at most once a minute. */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
