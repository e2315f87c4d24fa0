import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from '../auth/user.entity.js';

/**
 * What a running turn holds of its user's budget, from its start until its
 * real usage is stored. A turn whose process ended never releases it: past
 * `reservedUntil` it no longer counts.
 */
@Entity('budget_reservations')
@Index('budget_reservations_user_id_reserved_until_idx', ['userId', 'reservedUntil'])
export class BudgetReservation {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'budget_reservations_pkey' })
  id!: string;

  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'budget_reservations_user_id_fkey' })
  user?: Relation<User>;

  @Column({ type: 'bigint' })
  tokens!: string;

  @Column({ type: 'numeric', precision: 14, scale: 6 })
  usd!: string;

  @Column({ type: 'timestamptz' })
  reservedUntil!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
