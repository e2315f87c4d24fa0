import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { User } from '../auth/user.entity.js';

/**
 * What a user spent on models, per quarter hour (every time zone's day and
 * month begin on a quarter hour). Kept apart from the messages and calls it
 * sums, so that deleting a conversation does not give its spending back.
 */
@Entity('budget_spend')
export class BudgetSpend {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'budget_spend_pkey' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'budget_spend_user_id_fkey' })
  user?: Relation<User>;

  /** The start of the quarter hour. */
  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'budget_spend_pkey' })
  bucket!: Date;

  @Column({ type: 'bigint', default: 0 })
  tokens!: string;

  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0 })
  usd!: string;
}
