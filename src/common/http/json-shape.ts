/** The largest JSON shape a request body may have; bodies beyond are refused before they are parsed. */
export interface JsonShapeLimits {
  /** Objects and arrays nested in each other (the body itself is level 1). */
  maxDepth: number;
  /** Keys in one object (a repeated key counts each time). */
  maxKeys: number;
  /** Items in one array. */
  maxArrayLength: number;
  /** Values in the whole body: objects, arrays, strings, numbers, true, false and null. */
  maxNodes: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** What the scanner waits for next: a value, an object key, or neither (inside a value, or after one). */
const enum Expect {
  Value,
  Key,
  Nothing,
}

/** The index of the first unescaped quote from `index` on, looking no further than `until`. */
function scanString(body: Uint8Array, index: number, until: number): number {
  while (index < until && body[index] !== QUOTE) index += body[index] === BACKSLASH ? 2 : 1;
  return index;
}

/** Where the string that opens at `start` ends (UTF-8 continuation bytes are never a quote or a backslash). */
function closingQuote(body: Uint8Array, start: number): number {
  const index = scanString(body, start + 1, Math.min(body.length, start + 64));
  if (index >= body.length || body[index] === QUOTE) return index;
  // A long text without escapes (most large bodies hold one) ends at the next quote: two native searches.
  const quote = body.indexOf(QUOTE, index);
  if (quote < 0) return body.length;
  return body.subarray(index, quote).includes(BACKSLASH) ? scanString(body, index, body.length) : quote;
}

/**
 * Why a JSON body is refused for its shape, or undefined. Reads the raw UTF-8
 * bytes once, without building anything, and stops at the first limit passed:
 * parsing the body first would already cost what the limits are there to
 * prevent (JSON.parse spends tens of milliseconds on one object of 80,000 keys,
 * class-transformer seconds). Text that is not valid JSON is measured as far as
 * it goes; JSON.parse refuses it afterwards.
 */
export function jsonShapeProblem(body: Uint8Array, limits: JsonShapeLimits): string | undefined {
  // The objects and arrays open at this point, outermost first, with how many keys or items each has so far.
  const isObject: boolean[] = [];
  const counts: number[] = [];
  let nodes = 0;
  let expect = Expect.Value;
  const inObject = () => isObject.length > 0 && isObject[isObject.length - 1];
  const startValue = (): string | undefined => {
    if (++nodes > limits.maxNodes) return `The request body holds more than ${limits.maxNodes} values`;
    const depth = counts.length;
    if (depth > 0 && !isObject[depth - 1] && ++counts[depth - 1] > limits.maxArrayLength) {
      return `The request body has an array of more than ${limits.maxArrayLength} items`;
    }
    return undefined;
  };
  for (let index = 0; index < body.length; index++) {
    const byte = body[index];
    switch (byte) {
      case QUOTE: {
        let problem: string | undefined;
        if (expect === Expect.Key && inObject()) {
          if (++counts[counts.length - 1] > limits.maxKeys) problem = `The request body has an object of more than ${limits.maxKeys} keys`;
        } else {
          problem = startValue();
        }
        if (problem) return problem;
        index = closingQuote(body, index);
        expect = Expect.Nothing;
        break;
      }
      case OPEN_OBJECT:
      case OPEN_ARRAY: {
        const problem = startValue();
        if (problem) return problem;
        if (counts.length >= limits.maxDepth) {
          return `The request body nests objects and arrays more than ${limits.maxDepth} levels deep`;
        }
        isObject.push(byte === OPEN_OBJECT);
        counts.push(0);
        expect = byte === OPEN_OBJECT ? Expect.Key : Expect.Value;
        break;
      }
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        isObject.pop();
        counts.pop();
        expect = Expect.Nothing;
        break;
      case COMMA:
        expect = inObject() ? Expect.Key : Expect.Value;
        break;
      case COLON:
        expect = Expect.Value;
        break;
      case 0x20:
      case 0x09:
      case 0x0a:
      case 0x0d:
        break;
      default:
        // The first character of a number, true, false or null.
        if (expect === Expect.Value) {
          const problem = startValue();
          if (problem) return problem;
          expect = Expect.Nothing;
        }
    }
  }
  return undefined;
}
