/**
 * Tells whether UTF-8 text is one JSON document (RFC 8259, as JSON.parse
 * reads it) while its bytes stream past, holding only the nesting of the open
 * containers: an uploaded .json file is typed without ever being decoded or
 * parsed in memory. Everything JSON's grammar names is ASCII, so bytes are
 * enough (that the bytes are UTF-8 is checked apart). Nesting deeper than
 * MAX_DEPTH counts as not JSON.
 */

const MAX_DEPTH = 10_000;
const code = (char: string) => char.charCodeAt(0);
const WHITESPACE = new Set([' ', '\t', '\n', '\r'].map(code));
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't'].map(code));
const [QUOTE, BACKSLASH, COMMA, COLON, MINUS, PLUS, DOT] = ['"', '\\', ',', ':', '-', '+', '.'].map(code);
const [OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY] = ['{', '}', '[', ']'].map(code);
const [ZERO, ONE, NINE, LOWER_E, UPPER_E, LOWER_U] = ['0', '1', '9', 'e', 'E', 'u'].map(code);
const isDigit = (byte: number) => byte >= ZERO && byte <= NINE;
const isHex = (byte: number) => isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
/** What follows the first letter of each literal. */
const LITERALS = new Map([
  [code('t'), Buffer.from('rue')],
  [code('f'), Buffer.from('alse')],
  [code('n'), Buffer.from('ull')],
]);

type Expect =
  /** A value (the document, an array item, an object member's value). */
  | 'value'
  /** A value or "]" (right after "["). */
  | 'valueOrClose'
  /** A member name or "}" (right after "{"). */
  | 'keyOrClose'
  /** A member name (after ","). */
  | 'key'
  | 'colon'
  /** ",", the container's closing bracket, or the end of the document. */
  | 'afterValue';

/** Number states named after what was read last. */
type NumberState = 'minus' | 'zero' | 'integer' | 'dot' | 'fraction' | 'e' | 'exponentSign' | 'exponent';
const NUMBER_ENDS: ReadonlySet<NumberState> = new Set(['zero', 'integer', 'fraction', 'exponent']);

export class JsonSyntaxCheck {
  private expect: Expect = 'value';
  /** Open containers, innermost last: true for an object. */
  private readonly stack: boolean[] = [];
  private failed = false;
  private string: { isKey: boolean; escape: boolean; hexLeft: number } | undefined;
  private number: NumberState | undefined;
  /** The rest of the literal being read (true, false, null). */
  private literal: Buffer | undefined;

  /** Feeds the next bytes of the text; cheap once the text is known not to be JSON. */
  write(bytes: Uint8Array): void {
    for (let index = 0; index < bytes.length && !this.failed; index++) this.step(bytes[index]);
  }

  /** Whether everything written was exactly one JSON value (surrounded by whitespace only). */
  end(): boolean {
    if (this.failed || this.string || this.literal) return false;
    if (this.number) {
      if (!NUMBER_ENDS.has(this.number)) return false;
      this.number = undefined;
      this.closeValue();
    }
    return this.expect === 'afterValue' && this.stack.length === 0;
  }

  private step(char: number): void {
    if (this.string) return this.stringStep(char);
    if (this.literal !== undefined) {
      if (char !== this.literal[0]) return this.fail();
      this.literal = this.literal.length > 1 ? this.literal.subarray(1) : undefined;
      if (this.literal === undefined) this.closeValue();
      return;
    }
    if (this.number) {
      if (this.numberStep(char)) return;
      if (!NUMBER_ENDS.has(this.number)) return this.fail();
      this.number = undefined;
      this.closeValue();
    }
    if (WHITESPACE.has(char)) return;
    switch (this.expect) {
      case 'value':
      case 'valueOrClose':
        if (char === CLOSE_ARRAY && this.expect === 'valueOrClose') return this.close(false);
        return this.startValue(char);
      case 'keyOrClose':
        if (char === CLOSE_OBJECT) return this.close(true);
        return char === QUOTE ? this.startString(true) : this.fail();
      case 'key':
        return char === QUOTE ? this.startString(true) : this.fail();
      case 'colon':
        if (char !== COLON) return this.fail();
        this.expect = 'value';
        return;
      case 'afterValue': {
        if (this.stack.length === 0) return this.fail();
        const inObject = this.stack[this.stack.length - 1];
        if (char === COMMA) {
          this.expect = inObject ? 'key' : 'value';
          return;
        }
        if (char === (inObject ? CLOSE_OBJECT : CLOSE_ARRAY)) return this.close(inObject);
        return this.fail();
      }
    }
  }

  private startValue(char: number): void {
    if (char === OPEN_OBJECT || char === OPEN_ARRAY) {
      if (this.stack.length >= MAX_DEPTH) return this.fail();
      this.stack.push(char === OPEN_OBJECT);
      this.expect = char === OPEN_OBJECT ? 'keyOrClose' : 'valueOrClose';
      return;
    }
    if (char === QUOTE) return this.startString(false);
    if (char === MINUS) this.number = 'minus';
    else if (char === ZERO) this.number = 'zero';
    else if (char >= ONE && char <= NINE) this.number = 'integer';
    else if (LITERALS.has(char)) this.literal = LITERALS.get(char);
    else this.fail();
  }

  private startString(isKey: boolean): void {
    this.string = { isKey, escape: false, hexLeft: 0 };
  }

  private stringStep(char: number): void {
    const string = this.string!;
    if (string.hexLeft > 0) {
      if (!isHex(char)) return this.fail();
      string.hexLeft--;
      return;
    }
    if (string.escape) {
      string.escape = false;
      if (char === LOWER_U) string.hexLeft = 4;
      else if (!ESCAPES.has(char)) this.fail();
      return;
    }
    if (char === BACKSLASH) {
      string.escape = true;
      return;
    }
    if (char < 0x20) return this.fail();
    if (char !== QUOTE) return;
    this.string = undefined;
    if (string.isKey) this.expect = 'colon';
    else this.closeValue();
  }

  /** Moves the number on by one character; false when the character is not part of it. */
  private numberStep(char: number): boolean {
    const digit = isDigit(char);
    const exponentMark = char === LOWER_E || char === UPPER_E;
    let next: NumberState | undefined;
    switch (this.number) {
      case 'minus':
        next = char === ZERO ? 'zero' : digit ? 'integer' : undefined;
        break;
      case 'zero':
        next = char === DOT ? 'dot' : exponentMark ? 'e' : undefined;
        break;
      case 'integer':
        next = digit ? 'integer' : char === DOT ? 'dot' : exponentMark ? 'e' : undefined;
        break;
      case 'dot':
      case 'fraction':
        next = digit ? 'fraction' : exponentMark && this.number === 'fraction' ? 'e' : undefined;
        break;
      case 'e':
        next = digit ? 'exponent' : char === PLUS || char === MINUS ? 'exponentSign' : undefined;
        break;
      case 'exponentSign':
      case 'exponent':
        next = digit ? 'exponent' : undefined;
        break;
    }
    if (!next) return false;
    this.number = next;
    return true;
  }

  private close(object: boolean): void {
    if (this.stack.pop() !== object) return this.fail();
    this.closeValue();
  }

  private closeValue(): void {
    this.expect = 'afterValue';
  }

  private fail(): void {
    this.failed = true;
  }
}

/** Whether the text (UTF-8 bytes, or a string) is a JSON document. */
export function isJsonText(text: Uint8Array | string): boolean {
  const check = new JsonSyntaxCheck();
  check.write(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);
  return check.end();
}
