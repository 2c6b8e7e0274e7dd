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

/**
 * The code of the character at `i`, or -1 past the end. Reading past the
 * end with `charCodeAt()` gives `NaN` and makes V8 stop inlining that
 * call for good, which made every character cost a builtin call.
 *
 * @example
 * ```ts
 * import { codeAt } from "./plain_number.ts";
 * codeAt("ab", 1); // 98
 * codeAt("ab", 2); // -1
 * ```
 */
export function codeAt(src: string, i: number): number {
  return i < src.length ? src.charCodeAt(i) : -1;
}

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
  let c = codeAt(src, end);
  while (isDigit(c)) {
    n = n * 10 + c - 0x30;
    c = codeAt(src, ++end);
  }
  const digits = end - start;
  const leadingZero = digits > 1 && codeAt(src, start) === 0x30;
  if (endsNumber(c) && digits <= 15 && !leadingZero) {
    out.value = n < SMALL_INTS.length ? SMALL_INTS[n] : BigInt(n);
    out.end = end;
    return true;
  }
  if (c === 0x2e && digits > 0) end = skipDigits(src, end + 1);
  if ((codeAt(src, end) | 0x20) === 0x65) end = skipExponent(src, end);
  if (end > start + digits && endsNumber(codeAt(src, end))) {
    out.value = floatValue(src, start, end);
    out.end = end;
    return true;
  }
  return false;
}

/** The powers of ten that are exact floats, read from their literals. */
const EXACT_POWERS_OF_TEN: number[] = Array.from(
  { length: 23 },
  (_, k) => Number(`1e${k}`),
);

/**
 * The float of the literal from `start` to `end`, correctly rounded.
 * When its digits, read as an integer, have at most 15 digits and the
 * power of ten to scale them by is exact, one multiplication or division
 * of two exact floats rounds correctly (Clinger's fast path); anything
 * else goes to `Number()`, which also rounds correctly but costs a call
 * into the runtime.
 */
function floatValue(src: string, start: number, end: number): number {
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let i = start;
  let c = codeAt(src, i);
  for (; i < end && c !== 0x65 && c !== 0x45; c = codeAt(src, ++i)) {
    if (c === 0x2e) {
      scale = i + 1 - end;
      continue;
    }
    mantissa = mantissa * 10 + c - 0x30;
    if (mantissa !== 0) digits++;
  }
  if (scale !== 0) scale += end - i;
  if (i < end) scale += exponentValue(src, i + 1, end);
  if (digits > 15 || scale > 22 || scale < -22) {
    return Number(src.slice(start, end));
  }
  return scale >= 0
    ? mantissa * EXACT_POWERS_OF_TEN[scale]
    : mantissa / EXACT_POWERS_OF_TEN[-scale];
}

/** The signed value of the exponent digits from `i` to `end`, capped. */
function exponentValue(src: string, i: number, end: number): number {
  const sign = codeAt(src, i);
  const negative = sign === 0x2d;
  if (negative || sign === 0x2b) i++;
  let value = 0;
  for (; i < end && value < 1000; i++) {
    value = value * 10 + codeAt(src, i) - 0x30;
  }
  return negative ? -value : value;
}

/** Whether `c` may follow a plain literal. */
function endsNumber(c: number): boolean {
  return !(c >= 0x80) && c !== 0x2e && !isNameChar(c);
}

/** The index after the digits from `i` on. */
function skipDigits(src: string, i: number): number {
  while (isDigit(codeAt(src, i))) i++;
  return i;
}

/**
 * The index after an exponent `e-12` at `i`, or `i` itself when it is not
 * one, which leaves the letter to end the number.
 */
function skipExponent(src: string, i: number): number {
  const sign = codeAt(src, i + 1);
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
