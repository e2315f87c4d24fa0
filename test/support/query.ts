import pg from 'pg';

/** One query on its own connection (for checking a database a separate process uses). */
export async function query(url: string, sql: string, parameters: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows;
  } finally {
    await client.end();
  }
}
