const UNIQUE_VIOLATION = '23505';

/** What a PostgreSQL error (node-postgres's, or one TypeORM wraps) tells of itself. */
interface PgErrorFields {
  code?: unknown;
  constraint?: unknown;
  driverError?: unknown;
}

/** True when the statement broke a unique constraint (the named one, when given). */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!error || typeof error !== 'object') return false;
  const fields = error as PgErrorFields;
  const source = (fields.driverError && typeof fields.driverError === 'object' ? fields.driverError : fields) as PgErrorFields;
  return source.code === UNIQUE_VIOLATION && (constraint === undefined || source.constraint === constraint);
}
