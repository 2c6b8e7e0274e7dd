/**
 * A quick reader for the plain decimal literals nearly every input holds
 * (`7`, `42`, `1.5`, `2.5e-3`), shared by both tokenizers. Anything
 * unusual is left to `scanNumber()` in `number_literal.ts`, which knows
 * every rule and error message.
 *
 * @module
 */

/**
 * CPython's limit on the digits of a decimal int literal; longer ones are
 * left to `scanNumber()`, which raises its error.
 */
const MAX_STR_DIGITS = 4300;

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
 * of at most 4300 digits without leading zeros, or a float without
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
  if (endsNumber(c) && !leadingZero) {
    if (digits <= 15) {
      out.value = n < SMALL_INTS.length ? SMALL_INTS[n] : BigInt(n);
    } else if (digits <= MAX_STR_DIGITS) {
      out.value = BigInt(src.slice(start, end));
    } else {
      return false;
    }
    out.end = end;
    return true;
  }
  return readPlainFloat(src, start, end, n, out);
}

/**
 * Reads the rest of a float literal from `start` whose integer digits,
 * worth `n`, end at `end`, in the same pass that finds its end. When its
 * digits, read as an integer, are below 10**15 and the power of ten is
 * exact, one multiplication or division of two exact floats rounds
 * correctly (Clinger's fast path); anything else goes to `Number()`,
 * which also rounds correctly but costs a call into the runtime.
 */
function readPlainFloat(
  src: string,
  start: number,
  end: number,
  n: number,
  out: PlainNumber,
): boolean {
  const digitsEnd = end;
  let mantissa = n;
  let scale = 0;
  let c = codeAt(src, end);
  if (c === 0x2e && end > start) {
    c = codeAt(src, ++end);
    while (isDigit(c)) {
      mantissa = mantissa * 10 + c - 0x30;
      scale--;
      c = codeAt(src, ++end);
    }
  }
  if ((c | 0x20) === 0x65) {
    const exponentEnd = skipExponent(src, end);
    if (exponentEnd !== end) {
      scale += exponentValue(src, end + 1, exponentEnd);
      end = exponentEnd;
      c = codeAt(src, end);
    }
  }
  if (end === digitsEnd || !endsNumber(c)) return false;
  out.value = mantissa < 1e15 && scale <= 22 && scale >= -22
    ? exactScaled(mantissa, scale)
    : Number(src.slice(start, end));
  out.end = end;
  return true;
}

/** The powers of ten that are exact floats, read from their literals. */
const EXACT_POWERS_OF_TEN: number[] = Array.from(
  { length: 23 },
  (_, k) => Number(`1e${k}`),
);

/**
 * `mantissa * 10 ** scale` correctly rounded, for an exact `mantissa`
 * below 10**15 and `-22 <= scale <= 22`. (Digits read as an integer of
 * 10**15 or more give a `mantissa` of at least 10**15 even when rounded.)
 */
function exactScaled(mantissa: number, scale: number): number {
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
