import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The installation's budget policy: one row, written by administrators (the BUDGET_* settings give the first value). */
@Entity('budget_settings')
export class BudgetSettings {
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'budget_settings_pkey' })
  id!: number;

  /** `day` or `month`. */
  @Column({ type: 'varchar', length: 8 })
  period!: string;

  @Column({ type: 'varchar', length: 64 })
  timeZone!: string;

  @Column({ type: 'smallint' })
  softPercent!: number;

  /** Tokens per period for every user (null: no limit). */
  @Column({ type: 'bigint', nullable: true })
  defaultTokens!: string | null;

  /** US dollars per period for every user (null: no limit). */
  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true })
  defaultUsd!: string | null;

  /** The limits of users whose turns the shared key pays for (null: no limit). */
  @Column({ type: 'bigint', nullable: true })
  sharedTokens!: string | null;

  @Column({ type: 'numeric', precision: 14, scale: 6, nullable: true })
  sharedUsd!: string | null;

  /** Models the shared key may answer with (empty: any). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sharedModels!: string[];

  /** Tool types the shared key may use (empty: any). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sharedTools!: string[];

  @Column({ type: 'integer', nullable: true })
  sharedMaxOutputTokens!: number | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
