/**
 * A quick reader for the plain decimal literals nearly every input holds
 * (`7`, `42`, `1.5`, `2.5e-3`), shared by both tokenizers. Anything
 * unusual is left to `scanNumber()` in `number_literal.ts`, which knows
 * every rule and error message.
 *
 * @module
 */

/** Small int literals, made once: most literals are among them. */
const SMALL_INTS: bigint[] = Array.from({ length: 256 }, (_, i) => BigInt(i));

/** Where a literal read by `readPlainNumber()` ends, and its value. */
export class PlainNumber {
  /** Index just past the literal. */
  end = 0;
  /** An int is a `bigint`, a float a `number`. */
  value: bigint | number = 0n;
}

/**
 * Reads the literal at `start` into `out` when it is plain: a decimal int
 * of at most 15 digits without leading zeros, or a float without
 * underscores, followed by neither a name character, a `.` nor a
 * non-ASCII character. Returns whether it was; when not, `out` is
 * unchanged and the literal must go to `scanNumber()`.
 *
 * @example
 * ```ts
 * import { PlainNumber, readPlainNumber } from "./plain_number.ts";
 * const out = new PlainNumber();
 * readPlainNumber("1.5 + 2", 0, out); // true; out.value is 1.5, out.end 3
 * readPlainNumber("0x1f", 0, out); // false
 * ```
 */
export function readPlainNumber(
  src: string,
  start: number,
  out: PlainNumber,
): boolean {
  let end = start;
  let n = 0;
  let c = src.charCodeAt(end);
  while (isDigit(c)) {
    n = n * 10 + c - 0x30;
    c = src.charCodeAt(++end);
  }
  const digits = end - start;
  const leadingZero = digits > 1 && src.charCodeAt(start) === 0x30;
  if (endsNumber(c) && digits <= 15 && !leadingZero) {
    out.value = n < SMALL_INTS.length ? SMALL_INTS[n] : BigInt(n);
    out.end = end;
    return true;
  }
  if (c === 0x2e && digits > 0) end = skipDigits(src, end + 1);
  if ((src.charCodeAt(end) | 0x20) === 0x65) end = skipExponent(src, end);
  if (end > start + digits && endsNumber(src.charCodeAt(end))) {
    // JavaScript reads a float literal with Python's correct rounding.
    out.value = Number(src.slice(start, end));
    out.end = end;
    return true;
  }
  return false;
}

/** Whether `c` may follow a plain literal. */
function endsNumber(c: number): boolean {
  return !(c >= 0x80) && c !== 0x2e && !isNameChar(c);
}

/** The index after the digits from `i` on. */
function skipDigits(src: string, i: number): number {
  while (isDigit(src.charCodeAt(i))) i++;
  return i;
}

/**
 * The index after an exponent `e-12` at `i`, or `i` itself when it is not
 * one, which leaves the letter to end the number.
 */
function skipExponent(src: string, i: number): number {
  const sign = src.charCodeAt(i + 1);
  const first = sign === 0x2b || sign === 0x2d ? i + 2 : i + 1;
  const end = skipDigits(src, first);
  return end === first ? i : end;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) ||
    c === 0x5f || isDigit(c);
}
