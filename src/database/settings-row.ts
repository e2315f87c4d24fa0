import type { SqlExecutor, SqlParam } from './sql.js';

/** A one-row settings table: its row has id 1. */
export interface SettingsTable {
  table: string;
  /** Columns written on the first read, in the order of the parameters. */
  written: string;
  /** Columns read back. */
  read: string;
}

/**
 * The row of a one-row settings table, stored from `params` by the first read.
 * Two first reads at once: the later INSERT waits for the earlier one to commit
 * and then does nothing, and the SELECT of the same statement, whose snapshot
 * was taken before that commit, finds no row either. A statement of its own
 * (a new snapshot) then reads the row the other one stored.
 */
export async function settingsRow<Row>(db: SqlExecutor, settings: SettingsTable, params: readonly SqlParam[]): Promise<Row> {
  const { table, written, read } = settings;
  const values = params.map((_, index) => `$${index + 1}`).join(', ');
  const row =
    (await db.row<Row>(
      `WITH created AS (INSERT INTO ${table} (id, ${written}) VALUES (1, ${values}) ON CONFLICT (id) DO NOTHING RETURNING ${read})
       SELECT ${read} FROM created
       UNION ALL SELECT ${read} FROM ${table} WHERE id = 1
       LIMIT 1`,
      params,
    )) ?? (await db.row<Row>(`SELECT ${read} FROM ${table} WHERE id = 1`));
  if (!row) throw new Error(`${table} holds no row 1`);
  return row;
}
