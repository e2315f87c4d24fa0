import type { DataSource } from 'typeorm';
import { applySearchLanguage } from './search-language.js';

/** Any constant works; it only has to be the same for every instance of this platform. */
export const MIGRATION_LOCK_ID = 7_340_281_911;

export interface SearchLanguageStep {
  /** SEARCH_LANGUAGE: the search columns are rebuilt when they were built with another one. */
  language: string;
  /** Told which tables' search columns were rebuilt (none when they were built with the language already). */
  rebuilt?: (tables: string[]) => void;
}

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock, so that
 * several instances starting together apply each migration exactly once;
 * with `search`, then brings the search columns to the configured language
 * under the same lock.
 */
export async function runMigrationsLocked(dataSource: DataSource, search?: SearchLanguageStep): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      if (search) {
        const rebuilt = await applySearchLanguage(dataSource, search.language);
        if (rebuilt.length > 0) search.rebuilt?.(rebuilt);
      }
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await runner.release();
  }
}
