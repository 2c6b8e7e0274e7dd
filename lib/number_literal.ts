/**
 * Reads number literals with CPython's rules: `0x`, `0o` and `0b` prefixes,
 * single underscores between digits, no leading zeros on nonzero decimal
 * ints, and CPython's message for each malformed literal.
 *
 * @module
 */

import { syntaxError } from "./syntax_error.ts";
import { isDigit } from "./source_chars.ts";

/** A number literal found in the source. */
export interface NumberLiteral {
  /** Index just past the literal. */
  readonly end: number;
  /** An int is a `bigint`, a float a `number`; imaginary literals hold 0. */
  readonly value: bigint | number;
  readonly imaginary: boolean;
}

/** CPython refuses decimal int literals longer than this. */
const MAX_STR_DIGITS = 4300;

/**
 * Scans the number literal starting at `start`, which holds a digit or a
 * `.` followed by a digit.
 */
export function scanNumber(
  src: string,
  start: number,
  line: number,
): NumberLiteral {
  return new NumberScanner(src, start, line).scan();
}

class NumberScanner {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields more slowly, as `fast_scanner.ts` explains.
  private readonly src: string;
  private readonly start: number;
  private readonly line: number;
  private i: number;

  constructor(src: string, start: number, line: number) {
    this.src = src;
    this.start = start;
    this.line = line;
    this.i = start;
  }

  scan(): NumberLiteral {
    const c = this.at(this.i);
    if (c === 0x2e) {
      this.i++;
      return this.fraction();
    }
    if (c === 0x30) {
      const prefix = this.at(this.i + 1) | 0x20;
      if (prefix === 0x78) return this.radix(16, "hexadecimal");
      if (prefix === 0x6f) return this.radix(8, "octal");
      if (prefix === 0x62) return this.radix(2, "binary");
      return this.zeros();
    }
    this.decimalTail();
    return this.afterInteger(false);
  }

  private at(i: number): number {
    return this.src.charCodeAt(i);
  }

  private fail(message: string): never {
    throw syntaxError(message, this.line);
  }

  /** A decimal literal starting with 0: only zeros may follow. */
  private zeros(): NumberLiteral {
    this.i++;
    for (;;) {
      if (this.at(this.i) === 0x5f) {
        this.i++;
        if (!isDigit(this.at(this.i))) this.fail("invalid decimal literal");
      }
      if (this.at(this.i) !== 0x30) break;
      this.i++;
    }
    const nonzero = isDigit(this.at(this.i));
    if (nonzero) this.decimalTail();
    return this.afterInteger(nonzero);
  }

  private afterInteger(leadingZeros: boolean): NumberLiteral {
    const c = this.at(this.i);
    if (c === 0x2e) {
      this.i++;
      return this.fraction();
    }
    if ((c | 0x20) === 0x65) return this.exponent(false);
    if ((c | 0x20) === 0x6a) return this.imaginary();
    if (leadingZeros) {
      this.fail(
        "leading zeros in decimal integer literals are not permitted; " +
          "use an 0o prefix for octal integers",
      );
    }
    this.checkEnd("decimal");
    return this.int();
  }

  private fraction(): NumberLiteral {
    if (isDigit(this.at(this.i))) this.decimalTail();
    const c = this.at(this.i);
    if ((c | 0x20) === 0x65) return this.exponent(true);
    if ((c | 0x20) === 0x6a) return this.imaginary();
    this.checkEnd("decimal");
    return this.float();
  }

  private exponent(isFloat: boolean): NumberLiteral {
    const e = this.i;
    this.i++;
    let c = this.at(this.i);
    if (c === 0x2b || c === 0x2d) {
      this.i++;
      c = this.at(this.i);
      if (!isDigit(c)) this.fail("invalid decimal literal");
    } else if (!isDigit(c)) {
      // "1else": the literal ends before the "e".
      this.i = e;
      this.checkEnd("decimal");
      return isFloat ? this.float() : this.int();
    }
    this.decimalTail();
    if ((this.at(this.i) | 0x20) === 0x6a) return this.imaginary();
    this.checkEnd("decimal");
    return this.float();
  }

  private imaginary(): NumberLiteral {
    this.i++;
    this.checkEnd("imaginary");
    return { end: this.i, value: 0, imaginary: true };
  }

  /** Digits, each run of them separated by one underscore. */
  private decimalTail(): void {
    for (;;) {
      while (isDigit(this.at(this.i))) this.i++;
      if (this.at(this.i) !== 0x5f) return;
      this.i++;
      if (!isDigit(this.at(this.i))) this.fail("invalid decimal literal");
    }
  }

  private radix(base: number, kind: string): NumberLiteral {
    this.i += 2;
    let c = this.at(this.i);
    do {
      if (c === 0x5f) c = this.at(++this.i);
      if (!isRadixDigit(c, base)) this.badDigit(c, base, kind);
      do c = this.at(++this.i); while (isRadixDigit(c, base));
    } while (c === 0x5f);
    if (base < 10 && isDigit(c)) this.badDigit(c, base, kind);
    this.checkEnd(kind);
    const text = this.text();
    return { end: this.i, value: BigInt(text), imaginary: false };
  }

  private badDigit(c: number, base: number, kind: string): never {
    if (base < 10 && isDigit(c)) {
      this.fail(
        `invalid digit '${String.fromCharCode(c)}' in ${kind} literal`,
      );
    }
    this.fail(`invalid ${kind} literal`);
  }

  /**
   * A literal may be followed directly by a keyword that can follow a
   * number (`1if x else y`), but not by other letters.
   */
  private checkEnd(kind: string): void {
    const src = this.src;
    const i = this.i;
    const c = this.at(i);
    // CPython checks that these keywords end; "if", "in", "is" it does not.
    const keyword = (c === 0x61 && isWord(src, i, "and")) ||
      (c === 0x65 && isWord(src, i, "else")) ||
      (c === 0x66 && isWord(src, i, "for")) ||
      (c === 0x69 && /[fns]/.test(src.charAt(i + 1))) ||
      (c === 0x6f && isWord(src, i, "or")) ||
      (c === 0x6e && isWord(src, i, "not"));
    if (keyword) return;
    if (c < 0x80 && isIdentifierChar(c)) this.fail(`invalid ${kind} literal`);
  }

  private text(): string {
    return this.src.slice(this.start, this.i).replaceAll("_", "");
  }

  private int(): NumberLiteral {
    const text = this.text();
    if (text.length > MAX_STR_DIGITS && text[0] !== "0") {
      this.fail(
        "Exceeds the limit (4300 digits) for integer string conversion: " +
          `value has ${text.length} digits; use sys.set_int_max_str_digits() ` +
          "to increase the limit - Consider hexadecimal for huge integer " +
          "literals to avoid decimal conversion limits.",
      );
    }
    return { end: this.i, value: BigInt(text), imaginary: false };
  }

  private float(): NumberLiteral {
    return { end: this.i, value: Number(this.text()), imaginary: false };
  }
}

/** Whether `word` is at `i` and no identifier character follows it. */
function isWord(src: string, i: number, word: string): boolean {
  if (!src.startsWith(word, i)) return false;
  const next = src.charCodeAt(i + word.length);
  return !(next >= 0x80 || isIdentifierChar(next));
}

function isRadixDigit(c: number, base: number): boolean {
  if (base === 16) {
    return isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
  }
  return c >= 0x30 && c < 0x30 + base;
}

function isIdentifierChar(c: number): boolean {
  return isDigit(c) || c === 0x5f || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a);
}
