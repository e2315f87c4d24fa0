import { MAX_QUERIES_PER_CLASS, MAX_QUERY_KEY_CHARS, ValidQueryMemo } from './valid-query-memo.js';

class PageQuery {
  limit?: number;
}
class OtherQuery {
  limit?: number;
}

describe('ValidQueryMemo', () => {
  it('remembers a query per class, and answers with copies of the same class', () => {
    const memo = new ValidQueryMemo();
    const key = memo.keyOf({ limit: '5' })!;
    memo.remember(PageQuery, key, Object.assign(new PageQuery(), { limit: 5 }));
    const hit = memo.get(PageQuery, key);
    expect(hit).toBeInstanceOf(PageQuery);
    expect(hit).toEqual(Object.assign(new PageQuery(), { limit: 5 }));
    expect(memo.get(PageQuery, key)).not.toBe(hit);
    expect(memo.get(OtherQuery, key)).toBeUndefined();
  });

  it('does not remember a query longer than the bound', () => {
    const memo = new ValidQueryMemo();
    expect(memo.keyOf({ search: 'x'.repeat(MAX_QUERY_KEY_CHARS) })).toBeUndefined();
    expect(memo.keyOf('limit=5')).toBeUndefined();
  });

  it('keeps at most the bound of queries per class, dropping the oldest', () => {
    const memo = new ValidQueryMemo();
    const keys = Array.from({ length: MAX_QUERIES_PER_CLASS + 10 }, (_, index) => memo.keyOf({ offset: String(index) })!);
    for (const [index, key] of keys.entries()) memo.remember(PageQuery, key, Object.assign(new PageQuery(), { limit: index }));
    expect(keys.filter((key) => memo.get(PageQuery, key) !== undefined)).toHaveLength(MAX_QUERIES_PER_CLASS);
    expect(memo.get(PageQuery, keys[0])).toBeUndefined();
    expect(memo.get(PageQuery, keys.at(-1)!)).toBeDefined();
  });
});
