import { Sql, Transactions } from '../../src/database/sql.js';
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

  it('commits what a transaction wrote when it resolves, and nothing when it throws', async () => {
    await transactions.run(async (tx) => {
      await tx.execute('INSERT INTO sql_layer_probe (id, label) VALUES ($1, $2)', [10, 'kept']);
      // Inside, the transaction sees its own write; the pool does not yet.
      expect(await tx.row('SELECT label FROM sql_layer_probe WHERE id = 10')).toEqual({ label: 'kept' });
      expect(await sql.row('SELECT label FROM sql_layer_probe WHERE id = 10')).toBeUndefined();
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
});
