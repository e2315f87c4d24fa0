import { SignupRepository } from '../../src/auth/signup.repository.js';
import { BudgetsRepository } from '../../src/budgets/budgets.repository.js';
import type { BudgetPolicy } from '../../src/config/budgets.js';
import { Sql, Transactions } from '../../src/database/sql.js';
import { eventually } from '../support/eventually.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the data-access layer (Sql, Transactions)', () => {
  let testApp: TestApp;
  let sql: Sql;
  let transactions: Transactions;

  beforeAll(async () => {
    testApp = await startTestApp();
    sql = testApp.app.get(Sql);
    transactions = testApp.app.get(Transactions);
    await sql.execute('CREATE TABLE sql_layer_probe (id int PRIMARY KEY, label text NOT NULL)');
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('returns rows of every kind of statement in one shape, and counts what UPDATE and DELETE touched', async () => {
    const inserted = await sql.rows<{ id: number; label: string }>(
      'INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2), ($3, $4) RETURNING id, label',
      [1, 'one', 2, 'two'],
    );
    expect(inserted).toEqual([{ id: 1, label: 'one' }, { id: 2, label: 'two' }]);
    const updated = await sql.rows<{ id: number }>("UPDATE sql_layer_probe SET label = label || '!' RETURNING id");
    expect(updated.map((row) => row.id).sort()).toEqual([1, 2]);
    expect(await sql.execute('DELETE FROM sql_layer_probe WHERE id = $1', [2])).toBe(1);
    expect(await sql.row<{ label: string }>('SELECT label FROM sql_layer_probe WHERE id = $1', [1])).toEqual({ label: 'one!' });
    expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = $1', [2])).toBeUndefined();
  });

  it("refuses a statement on the pool from inside a transaction's work, and the transaction rolls back", async () => {
    await expect(
      transactions.run(async (tx) => {
        await tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2)', [7, 'nested']);
        await sql.row('SELECT label FROM sql_layer_probe WHERE id = 7');
      }),
    ).rejects.toThrow('a statement on the pool inside a transaction (pass the transaction instead): SELECT label FROM sql_layer_probe WHERE id = 7');
    expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = 7')).toBeUndefined();
    // After the transaction, and in work started outside one, the pool answers as before.
    await transactions.run(async (tx) => tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2)', [8, 'after']));
    expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = 8')).toEqual({ label: 'after' });
  });

  it('commits what a transaction wrote when it resolves, and nothing when it throws', async () => {
    await transactions.run(async (tx) => {
      await tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2)', [10, 'kept']);
      // Inside, the transaction sees its own write; the pool does not yet.
      expect(await tx.row('SELECT label FROM sql_layer_probe WHERE id = 10')).toEqual({ label: 'kept' });
      // Another connection, taken from the pool directly (the Sql layer refuses its pool inside a transaction).
      expect((await sql.pool.query('SELECT label FROM sql_layer_probe WHERE id = 10')).rows).toEqual([]);
    });
    expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = 10')).toEqual({ label: 'kept' });

    await expect(
      transactions.run(async (tx) => {
        await tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2)', [11, 'dropped']);
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = 11')).toBeUndefined();
  });

  it('prepares a statement once per connection, named after its text, and a different text apart', async () => {
    await transactions.run(async (tx) => {
      const byId = 'SELECT label FROM sql_layer_probe WHERE id = $1';
      await tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2), ($3, $4)', [20, 'twenty', 21, 'twenty-one']);
      expect(await tx.prepared(byId, [20])).toEqual([{ label: 'twenty' }]);
      expect(await tx.prepared(byId, [21])).toEqual([{ label: 'twenty-one' }]);
      expect(await tx.prepared('SELECT count(*)::int AS n FROM sql_layer_probe WHERE id >= $1', [20])).toEqual([{ n: 2 }]);
      const prepared = await tx.rows<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%sql_layer_probe%' ORDER BY statement",
      );
      expect(prepared.map((entry) => entry.statement)).toEqual(['SELECT count(*)::int AS n FROM sql_layer_probe WHERE id >= $1', byId]);
    });
  });

  /**
   * Two first reads of a one-row settings table at once: the later one waits
   * for the earlier one's row, then must return it (its first statement's
   * snapshot predates that row).
   */
  it.each([
    {
      table: 'budget_settings',
      insert: `INSERT INTO budget_settings (id, period, time_zone, soft_percent) VALUES (1, 'day', 'Europe/Paris', 55)`,
      read: (app: TestApp) => app.app.get(BudgetsRepository).policy(INITIAL_POLICY),
      stored: { period: 'day', timeZone: 'Europe/Paris', softPercent: 55 },
    },
    {
      table: 'signup_settings',
      insert: `INSERT INTO signup_settings (id, policy, domains) VALUES (1, 'domain', '{example.org}')`,
      read: (app: TestApp) => app.app.get(SignupRepository).settings({ policy: 'open', domains: [] }),
      stored: { policy: 'domain', domains: ['example.org'] },
    },
  ])('reads $table while another first read stores its row', async ({ table, insert, read, stored: expected }) => {
    await sql.execute(`DELETE FROM ${table}`);
    let release: () => void = () => undefined;
    let stored: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const written = new Promise<void>((resolve) => (stored = resolve));
    const first = transactions.run(async (tx) => {
      await tx.execute(insert);
      stored();
      await released;
    });
    await written;
    const second = read(testApp);
    // The second read waits on the first one's row before the first commits.
    await eventually(async () => {
      const waiting = await sql.row<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO ${table}%'`,
      );
      return waiting && waiting.n > 0 ? true : undefined;
    });
    release();
    await first;
    expect(await second).toMatchObject(expected);
  });
});

const INITIAL_POLICY: BudgetPolicy = {
  period: 'month',
  timeZone: 'UTC',
  softPercent: 80,
  default: { tokens: null, usd: null },
  sharedKey: { tokens: null, usd: null, models: [], tools: [], maxOutputTokens: null },
};
