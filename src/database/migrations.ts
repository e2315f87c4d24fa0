import type { DataSource } from 'typeorm';

/** Any constant works; it only has to be the same for every instance of this platform. */
export const MIGRATION_LOCK_ID = 7_340_281_911;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that
 * several instances starting together apply each migration exactly once.
 */
export async function runMigrationsLocked(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}
