import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { User } from '../auth/user.entity.js';

/** An administrator's limits for one user, in place of the installation's (null: no limit). */
@Entity('user_budgets')
export class UserBudget {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'user_budgets_pkey' })
  userId!: string;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_budgets_user_id_fkey' })
  user?: Relation<User>;

  @Column({ type: 'bigint', nullable: true })
  tokens!: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true })
  usd!: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
