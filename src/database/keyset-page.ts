import type { SqlParam } from './sql.js';

/** A page of a list ordered by (created_at, id), with cursors that are ids of the same list. */
export interface KeysetPage {
  limit: number;
  order: 'asc' | 'desc';
  /** Rows after this one in the order. */
  after?: string;
  /** Rows before this one in the order. */
  before?: string;
}

export interface KeysetSql {
  /** Conditions to AND into the WHERE clause (true when there is no cursor). */
  where: string;
  /** ORDER BY and LIMIT (one row more than the page, to tell whether there are more). */
  orderAndLimit: string;
  params: SqlParam[];
  /** The rows come in the opposite order (a `before` page) and must be reversed. */
  reversed: boolean;
}

/**
 * SQL for a keyset page over `alias`.(created_at, id). A cursor is looked up
 * in `table` with the same owner predicate (`ownerSql`, e.g. `user_id = $1`):
 * a cursor that is not the user's matches no row and the page is empty.
 * Parameters are numbered from `firstParam`.
 */
export function keysetSql(page: KeysetPage, table: string, alias: string, ownerSql: string, firstParam: number, timeColumn = 'created_at'): KeysetSql {
  const conditions: string[] = [];
  const params: SqlParam[] = [];
  const cursor = (id: string, comparison: '<' | '>') => {
    params.push(id);
    conditions.push(
      `(${alias}.${timeColumn}, ${alias}.id) ${comparison} (SELECT c.${timeColumn}, c.id FROM ${table} c WHERE c.id = $${firstParam + params.length - 1} AND c.${ownerSql})`,
    );
  };
  const forward = page.order === 'asc' ? '>' : '<';
  const backward = page.order === 'asc' ? '<' : '>';
  if (page.after) cursor(page.after, forward);
  if (page.before) cursor(page.before, backward);
  const reversed = page.before !== undefined && page.after === undefined;
  const direction = (page.order === 'asc') !== reversed ? 'ASC' : 'DESC';
  params.push(page.limit + 1);
  return {
    where: conditions.length > 0 ? conditions.join(' AND ') : 'true',
    orderAndLimit: `ORDER BY ${alias}.${timeColumn} ${direction}, ${alias}.id ${direction} LIMIT $${firstParam + params.length - 1}`,
    params,
    reversed,
  };
}

/** The page's rows in list order, and whether more follow in the direction paged. */
export function pageRows<Row>(rows: Row[], page: KeysetPage, reversed: boolean): { rows: Row[]; hasMore: boolean } {
  const hasMore = rows.length > page.limit;
  const kept = rows.slice(0, page.limit);
  return { rows: reversed ? kept.reverse() : kept, hasMore };
}
