import fc from 'fast-check';
import { isJsonText, JsonSyntaxCheck } from './json-syntax.js';

const parses = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('JsonSyntaxCheck', () => {
  it('agrees with JSON.parse on hand-picked documents and near misses', () => {
    const samples = [
      '{"a":1}',
      ' [1, -0.5e+10, "x\\u00e9\\n", true, false, null, {}, []] ',
      '0',
      '-0',
      '"only a string"',
      '{"a":',
      '{"a" 1}',
      '{a:1}',
      '[1,]',
      '[,1]',
      '{"a":1,}',
      '01',
      '1.',
      '.5',
      '-',
      '1e',
      '1e+',
      'tru',
      'truex',
      'nul',
      '"\\x"',
      '"\\u12G4"',
      '"tab\there"',
      '[1] [2]',
      '[}',
      '{]',
      '',
      '   ',
      '\ufeff{}',
      '[[[[]]]]',
      '{"a":{"b":[{"c":null}]}}',
    ];
    for (const text of samples) expect({ text, valid: isJsonText(text) }).toEqual({ text, valid: parses(text) });
  });

  it('property: agrees with JSON.parse on generated JSON, cut and mutated', () => {
    const document = fc.json({ depthSize: 'medium' });
    const mutated = fc.tuple(document, fc.nat(), fc.constantFrom('', ',', '}', ']', '"', ':', '-', 'e', '0', ' ', '\\', 'x')).map(
      ([text, at, insert]) => {
        const position = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, position) + insert + text.slice(position + (insert === '' ? 1 : 0));
      },
    );
    fc.assert(
      fc.property(fc.oneof(document, mutated, fc.string()), (text) => {
        expect(isJsonText(text)).toBe(parses(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the same answer whatever the bytes are cut into, even inside a character', () => {
    fc.assert(
      fc.property(fc.json(), fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const check = new JsonSyntaxCheck();
        let from = 0;
        for (const cut of [...cuts].sort((a, b) => a - b)) {
          const to = Math.max(from, Math.min(bytes.length, cut));
          check.write(bytes.subarray(from, to));
          from = to;
        }
        check.write(bytes.subarray(from));
        expect(check.end()).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
