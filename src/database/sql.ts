import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { poolOf } from './data-source.js';

/** A parameter of a statement: what node-postgres sends as text or binary. */
export type SqlParam = string | number | boolean | bigint | Date | Buffer | null | readonly unknown[] | Record<string, unknown>;

/**
 * Runs statements. The pool and an open transaction are both executors, so a
 * repository method takes either and a service decides the transaction.
 * Results are node-postgres results: `rows` for every kind of statement, and
 * `rowCount` for what an UPDATE or DELETE touched (TypeORM's own query() gives
 * an UPDATE's rows in another shape than a SELECT's, a trap this layer avoids).
 */
export interface SqlExecutor {
  /** The rows the statement returned, typed by the caller's row interface. */
  rows<Row>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** The first row, or undefined. */
  row<Row>(text: string, params?: readonly SqlParam[]): Promise<Row | undefined>;
  /** How many rows an INSERT, UPDATE or DELETE touched. */
  execute(text: string, params?: readonly SqlParam[]): Promise<number>;
  /**
   * The rows of a statement prepared once per connection (named after its
   * text): PostgreSQL plans it once instead of on every call, for statements
   * whose plan does not depend on their parameters. The text is the
   * program's own, never built from input.
   */
  prepared<Row>(text: string, params: readonly SqlParam[]): Promise<Row[]>;
}

/** The name each prepared text goes by, computed once per text (the texts are the program's, a few dozen). */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `s${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

abstract class ClientExecutor implements SqlExecutor {
  protected abstract run<Row extends pg.QueryResultRow>(text: string, params: readonly SqlParam[], name?: string): Promise<pg.QueryResult<Row>>;

  async rows<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row[]> {
    return (await this.run<Row & pg.QueryResultRow>(text, params)).rows;
  }

  async row<Row>(text: string, params: readonly SqlParam[] = []): Promise<Row | undefined> {
    return (await this.run<Row & pg.QueryResultRow>(text, params)).rows[0];
  }

  async execute(text: string, params: readonly SqlParam[] = []): Promise<number> {
    return (await this.run(text, params)).rowCount ?? 0;
  }

  async prepared<Row>(text: string, params: readonly SqlParam[]): Promise<Row[]> {
    return (await this.run<Row & pg.QueryResultRow>(text, params, statementName(text))).rows;
  }
}

/**
 * An open transaction. Services receive one from `Sql.transaction()` and pass
 * it to the repositories that must write together; they never query it.
 */
export class Transaction extends ClientExecutor {
  private client: Promise<pg.PoolClient> | undefined;

  /** `manager` lets repositories that still use TypeORM entities write in the same transaction. */
  constructor(readonly manager: EntityManager) {
    super();
  }

  /**
   * Waits for the lock called `name` (in `namespace`), held until this
   * transaction ends: work that takes it, on any instance, takes turns.
   */
  async takeTurns(name: string, namespace = 0): Promise<void> {
    await this.run('SELECT pg_advisory_xact_lock(hashtextextended($1, $2))', [name, namespace]);
  }

  protected async run<Row extends pg.QueryResultRow>(text: string, params: readonly SqlParam[], name?: string): Promise<pg.QueryResult<Row>> {
    // The transaction's own connection, opened by TypeORM (BEGIN has run on it).
    this.client ??= this.manager.queryRunner!.connect() as Promise<pg.PoolClient>;
    return (await this.client).query<Row>({ name, text, values: params as unknown[] });
  }
}

/**
 * The one way into PostgreSQL for repositories (statements on the pool) and
 * for services (transaction boundaries). Only the database module and the
 * repositories hold it.
 */
@Injectable()
export class Sql extends ClientExecutor {
  readonly pool: pg.Pool;
  /**
   * Set while a transaction's work runs. A statement on the pool from there
   * needs a second connection while the transaction holds one: a few such
   * requests at once can hold every connection, each waiting for another.
   * Outside production such a statement is refused, so that tests find it.
   */
  private readonly inTransaction = new AsyncLocalStorage<true>();
  private readonly refuseNested: boolean;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, @InjectConfig() config: AppConfig) {
    super();
    this.pool = poolOf(dataSource);
    this.refuseNested = !config.isProduction;
  }

  protected run<Row extends pg.QueryResultRow>(text: string, params: readonly SqlParam[], name?: string): Promise<pg.QueryResult<Row>> {
    if (this.refuseNested && this.inTransaction.getStore()) {
      return Promise.reject(new Error(`a statement on the pool inside a transaction (pass the transaction instead): ${text.trim().slice(0, 80)}`));
    }
    return this.pool.query<Row>({ name, text, values: params as unknown[] });
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.dataSource.transaction((manager) => {
      const tx = new Transaction(manager);
      // Tracking the work's async context slows every promise of the process (async hooks): only where it is checked.
      return this.refuseNested ? this.inTransaction.run(true, () => work(tx)) : work(tx);
    });
  }
}

/** The transaction boundary for services: they decide what is written together, repositories write it. */
@Injectable()
export class Transactions {
  constructor(private readonly sql: Sql) {}

  run<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.sql.transaction(work);
  }
}
