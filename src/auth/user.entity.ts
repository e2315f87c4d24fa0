import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** What an account may do: `admin` also reaches /api/admin/*. */
export type UserRole = 'admin' | 'user';

@Entity('users')
// The accounts' list in its order (administration).
@Index('users_created_at_id_idx', ['createdAt', 'id'])
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored trimmed and lower-cased, so comparisons are case-insensitive. */
  @Index('users_email_key', { unique: true })
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 100 })
  passwordHash!: string;

  /** Base64 of IV, auth tag and ciphertext (AES-256-GCM, user id as associated data). */
  @Column({ type: 'text', nullable: true })
  apiKeyCiphertext!: string | null;

  /** Id of the master key that encrypted the API key (for rotation). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  apiKeyKeyId!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  apiKeyHint!: string | null;

  /** Increases on every key change, so cached clients built from an older key are not reused. */
  @Column({ type: 'integer', default: 0 })
  apiKeyVersion!: number;

  @Column({ type: 'uuid', nullable: true })
  defaultAssistantId!: string | null;

  /** Cleared by the database when the assistant is deleted (named by entity, so users do not import assistants). */
  @ManyToOne('Assistant', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'default_assistant_id', foreignKeyConstraintName: 'users_default_assistant_id_fkey' })
  defaultAssistant?: { id: string } | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: UserRole;

  /** Set while an administrator has disabled the account: no session, no sign-in. */
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;

  /** The next sign-in may only change the password. */
  @Column({ type: 'boolean', default: false })
  mustChangePassword!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
