import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** Who may create an account: anyone, holders of an invite, addresses of some domains, or no one. */
export type SignupPolicy = 'open' | 'invite' | 'domain' | 'closed';

/** The installation's sign-up policy: one row, written by administrators (SIGNUP_POLICY gives the first value). */
@Entity('signup_settings')
export class SignupSettings {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'signup_settings_pkey' })
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  policy!: SignupPolicy;

  /** E-mail domains accepted under the `domain` policy, lower-case. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  domains!: string[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
