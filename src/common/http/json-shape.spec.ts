import fc from 'fast-check';
import { jsonShapeProblem, type JsonShapeLimits } from './json-shape.js';

const LOOSE: JsonShapeLimits = { maxDepth: 1_000, maxKeys: 1_000_000, maxArrayLength: 1_000_000, maxNodes: 1_000_000 };

const problem = (text: string, limits: Partial<JsonShapeLimits> = {}) => jsonShapeProblem(Buffer.from(text), { ...LOOSE, ...limits });

/** The shape of a parsed value, measured the plain way: the figures the scanner must find in its text. */
function measure(value: unknown): JsonShapeLimits {
  const shape = { maxDepth: 0, maxKeys: 0, maxArrayLength: 0, maxNodes: 0 };
  const visit = (current: unknown, depth: number) => {
    shape.maxNodes++;
    if (current === null || typeof current !== 'object') return;
    shape.maxDepth = Math.max(shape.maxDepth, depth);
    const children = Array.isArray(current) ? current : Object.values(current);
    if (Array.isArray(current)) shape.maxArrayLength = Math.max(shape.maxArrayLength, current.length);
    else shape.maxKeys = Math.max(shape.maxKeys, children.length);
    for (const child of children) visit(child, depth + 1);
  };
  visit(value, 1);
  return shape;
}

describe('jsonShapeProblem', () => {
  it('accepts a body exactly at each limit and refuses one beyond it, naming the limit', () => {
    const keys = (count: number) => `{${Array.from({ length: count }, (_, index) => `"k${index}":1`).join(',')}}`;
    expect(problem(keys(128), { maxKeys: 128 })).toBeUndefined();
    expect(problem(keys(129), { maxKeys: 128 })).toBe('The request body has an object of more than 128 keys');

    const items = (count: number) => `{"ids":[${Array.from({ length: count }, () => '"x"').join(',')}]}`;
    expect(problem(items(1_000), { maxArrayLength: 1_000 })).toBeUndefined();
    expect(problem(items(1_001), { maxArrayLength: 1_000 })).toBe('The request body has an array of more than 1000 items');

    // The object, the array and its items.
    expect(problem(items(48), { maxNodes: 50 })).toBeUndefined();
    expect(problem(items(49), { maxNodes: 50 })).toBe('The request body holds more than 50 values');

    const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect(problem(nested(32), { maxDepth: 32 })).toBeUndefined();
    expect(problem(nested(33), { maxDepth: 32 })).toBe('The request body nests objects and arrays more than 32 levels deep');
    expect(problem(`{"a":${'{"a":'.repeat(32)}1${'}'.repeat(33)}`, { maxDepth: 32 })).toMatch(/32 levels deep/);
  });

  it('counts a repeated key each time (JSON.parse keeps one, class-transformer compares them all)', () => {
    expect(problem(`{${Array(10).fill('"a":1').join(',')}}`, { maxKeys: 9 })).toMatch(/more than 9 keys/);
  });

  it('reads strings as text: quotes, brackets, commas and colons inside them count for nothing', () => {
    const text = JSON.stringify({ a: '{"b":[1,2,3],"c":{}}', 'k,:[{': 'x\\"y\\\\', é: '"\\' });
    expect(problem(text, { maxKeys: 3, maxNodes: 4, maxDepth: 1, maxArrayLength: 1 })).toBeUndefined();
    expect(problem(text, { maxKeys: 2 })).toMatch(/more than 2 keys/);
  });

  it('reads long strings with and without escapes, and multi-byte UTF-8', () => {
    const long = JSON.stringify(['é'.repeat(5_000), '"\\\n'.repeat(5_000), 'x'.repeat(100_000), 'end']);
    expect(problem(long, { maxArrayLength: 4, maxNodes: 5 })).toBeUndefined();
    expect(problem(long, { maxArrayLength: 3 })).toMatch(/more than 3 items/);
  });

  it('finds the same shape as a walk over the parsed value, for any JSON and any layout', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const shape = measure(JSON.parse(text));
        const exact = { ...shape, maxDepth: Math.max(1, shape.maxDepth) };
        expect(problem(text, exact)).toBeUndefined();
        for (const limit of ['maxDepth', 'maxKeys', 'maxArrayLength', 'maxNodes'] as const) {
          if (shape[limit] > 0) expect(problem(text, { ...exact, [limit]: shape[limit] - 1 })).toBeDefined();
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stops at the first limit passed: an 80,000-key body costs what its first keys cost', () => {
    const hostile = Buffer.from(`{${Array.from({ length: 80_000 }, (_, index) => `"k${index}":0`).join(',')}}`);
    const limits = { maxDepth: 32, maxKeys: 128, maxArrayLength: 1_000, maxNodes: 5_000 };
    jsonShapeProblem(hostile, limits);
    const started = performance.now();
    for (let round = 0; round < 100; round++) jsonShapeProblem(hostile, limits);
    expect((performance.now() - started) / 100).toBeLessThan(1);
  });

  it('measures text that is not JSON as far as it goes, without failing', () => {
    for (const text of ['', '{', '}}}]]]', '"unterminated', '{"a":1,,,}', '[1 2 3]', '\uFEFF{}', 'nul', '{"a"::}']) {
      expect(() => problem(text)).not.toThrow();
    }
  });
});
