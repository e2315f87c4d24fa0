import type { DataSource } from 'typeorm';

/**
 * Full-text search keeps a tsvector per message and per thread title, each a
 * stored generated column with a GIN index on its owner and its words (for
 * messages, the words with the keys of the owner's time windows). A
 * generated column's expression names its text search configuration, so the
 * configured SEARCH_LANGUAGE is part of the schema: the migrations build both
 * with `simple`, and at start (after the migrations, under their lock) a
 * different language rebuilds the columns and their indexes once, in one
 * transaction.
 */

/** Characters of a message that are indexed: a tsvector holds at most 1 MB, and no message is refused for its length. */
export const SEARCH_INDEXED_CHARS = 100_000;

/** A reply still being written is indexed once it ends (its partial text changes on every flush). */
export function messageSearchExpression(language: string): string {
  return `CASE WHEN status = 'streaming' THEN ''::tsvector ELSE to_tsvector('${language}'::regconfig, left(content, ${SEARCH_INDEXED_CHARS})) END`;
}

/** Titles weigh more than message text in the ranking (weight A against the default D). */
export function titleSearchExpression(language: string): string {
  return `setweight(to_tsvector('${language}'::regconfig, coalesce(title, '')), 'A')`;
}

interface SearchColumn {
  table: string;
  column: string;
  index: string;
  /** What the GIN index holds, as in CREATE INDEX. */
  indexed: string;
  expression: (language: string) => string;
}

export const SEARCH_COLUMNS: readonly SearchColumn[] = [
  {
    table: 'messages',
    column: 'search_vector',
    index: 'messages_search_document_idx',
    indexed: 'search_document("search_vector", "user_id", "created_at")',
    expression: messageSearchExpression,
  },
  {
    table: 'threads',
    column: 'title_search_vector',
    index: 'threads_user_id_title_search_vector_idx',
    indexed: '"user_id", "title_search_vector"',
    expression: titleSearchExpression,
  },
];

/** The language a search column is built with now, read from its stored expression (undefined: no such column yet). */
async function builtLanguage(dataSource: DataSource, search: SearchColumn): Promise<string | undefined> {
  const rows = (await dataSource.query(
    `SELECT pg_get_expr(d.adbin, d.adrelid) AS expression FROM pg_attrdef d
       JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE d.adrelid = to_regclass($1) AND a.attname = $2`,
    [search.table, search.column],
  )) as Array<{ expression: string }>;
  if (rows.length === 0) return undefined;
  return /'([a-z_]+)'::regconfig/.exec(rows[0].expression)?.[1];
}

/**
 * Rebuilds the search columns whose language is not `language`; answers the
 * tables rebuilt. The caller holds the migration lock.
 */
export async function applySearchLanguage(dataSource: DataSource, language: string): Promise<string[]> {
  const known = (await dataSource.query('SELECT 1 FROM pg_ts_config WHERE cfgname = $1', [language])) as unknown[];
  if (known.length === 0) throw new Error(`SEARCH_LANGUAGE ${language} is not a text search configuration of this PostgreSQL`);
  const stale: SearchColumn[] = [];
  for (const search of SEARCH_COLUMNS) {
    const built = await builtLanguage(dataSource, search);
    if (built !== undefined && built !== language) stale.push(search);
  }
  if (stale.length === 0) return [];
  await dataSource.transaction(async (manager) => {
    // Rebuilding a column of every message takes as long as it takes.
    await manager.query('SET LOCAL statement_timeout = 0');
    for (const search of stale) {
      const expression = search.expression(language);
      await manager.query(`DROP INDEX IF EXISTS "${search.index}"`);
      await manager.query(`ALTER TABLE "${search.table}" DROP COLUMN "${search.column}"`);
      await manager.query(`ALTER TABLE "${search.table}" ADD "${search.column}" tsvector GENERATED ALWAYS AS (${expression}) STORED`);
      await manager.query(`CREATE INDEX "${search.index}" ON "${search.table}" USING GIN (${search.indexed})`);
      await manager.query(`UPDATE "typeorm_metadata" SET "value" = $1 WHERE "type" = 'GENERATED_COLUMN' AND "table" = $2 AND "name" = $3`, [
        expression,
        search.table,
        search.column,
      ]);
    }
  });
  return stale.map((search) => search.table);
}
