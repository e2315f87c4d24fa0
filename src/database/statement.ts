import type { SqlParam } from './sql.js';

/**
 * One statement made of parts that several repositories contribute, each a
 * data-modifying CTE: work that must happen together on a hot path (a turn's
 * start) reaches PostgreSQL in one round trip and is atomic without a
 * transaction, while each table's SQL stays in its own repository.
 */
export class CompositeStatement {
  readonly params: SqlParam[] = [];
  private readonly parts: string[] = [];

  /** The placeholder of a value. */
  param(value: SqlParam): string {
    return `$${this.params.push(value)}`;
  }

  /** Adds a part; later parts and the final SELECT read it by name. */
  with(name: string, sql: string): void {
    this.parts.push(`${name} AS (${sql})`);
  }

  /** The statement's text, ending with `select`. */
  text(select: string): string {
    return this.parts.length === 0 ? select : `WITH ${this.parts.join(',\n')}\n${select}`;
  }
}
