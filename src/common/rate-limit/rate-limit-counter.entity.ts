import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Fixed-window counters shared by every instance. Keys are hashes, so no
 * e-mail address or IP is stored in clear.
 */
@Entity('rate_limit_counters')
export class RateLimitCounter {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  key!: string;

  @Column({ type: 'integer' })
  count!: number;

  @Index('rate_limit_counters_reset_at_idx')
  @Column({ type: 'timestamptz' })
  resetAt!: Date;
}
