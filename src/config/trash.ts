import type { EnvReader } from './env-reader.js';

export interface TrashConfig {
  /** Days a deleted thread or assistant stays in the trash before it is purged; 0: deletion is permanent at once. */
  retentionDays: number;
  /** How often this instance purges the trash of what has outlived the retention (0: not by this instance). */
  sweepIntervalSeconds: number;
}

export function readTrashConfig(env: EnvReader): TrashConfig {
  return {
    retentionDays: env.integer('TRASH_RETENTION_DAYS', { default: 30, min: 0, max: 36_500 }),
    sweepIntervalSeconds: env.integer('TRASH_SWEEP_INTERVAL_SECONDS', { default: 3_600, min: 0, max: 86_400 }),
  };
}
