/** Longest query (as JSON) worth remembering, in characters: a longer one is validated each time. */
export const MAX_QUERY_KEY_CHARS = 512;
/** Queries remembered per query class; the oldest is dropped first. */
export const MAX_QUERIES_PER_CLASS = 256;

type QueryClass = abstract new (...args: never[]) => unknown;

/**
 * The converted form of query strings that passed validation, per query
 * class, bounded in count and key length. Each hit is a fresh copy, so a
 * handler that changes its query object changes only its own.
 */
export class ValidQueryMemo {
  private readonly byClass = new Map<QueryClass, Map<string, object>>();

  /** The key a query is remembered under, or undefined when it is not worth remembering. */
  keyOf(value: unknown): string | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const key = JSON.stringify(value);
    return key.length <= MAX_QUERY_KEY_CHARS ? key : undefined;
  }

  get(type: QueryClass, key: string): object | undefined {
    const known = this.byClass.get(type)?.get(key);
    return known && copyOf(known);
  }

  remember(type: QueryClass, key: string, converted: unknown): void {
    if (typeof converted !== 'object' || converted === null) return;
    let entries = this.byClass.get(type);
    if (!entries) this.byClass.set(type, (entries = new Map()));
    if (entries.size >= MAX_QUERIES_PER_CLASS) entries.delete(entries.keys().next().value!);
    entries.set(key, copyOf(converted));
  }
}

/** A copy with the same class; arrays (repeated parameters) are copied too. */
function copyOf(source: object): object {
  const copy = Object.create(Object.getPrototypeOf(source) as object | null) as Record<string, unknown>;
  for (const [name, field] of Object.entries(source)) copy[name] = Array.isArray(field) ? [...field] : field;
  return copy;
}
