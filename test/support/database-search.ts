import type { DataSource } from 'typeorm';

/** Tables (in the public schema) whose rows, read as text, contain the needle. */
export async function tablesContaining(dataSource: DataSource, needle: string): Promise<string[]> {
  const tables = (await dataSource.query(
    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
  )) as Array<{ table_name: string }>;
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const [{ count }] = await dataSource.query(
      `SELECT count(*)::int AS count FROM "${table_name}" AS row WHERE row::text LIKE '%' || $1 || '%'`,
      [needle],
    );
    if (count > 0) hits.push(table_name);
  }
  return hits;
}
