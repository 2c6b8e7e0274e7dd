/**
 * The float functions of the `math` module, with the special values and
 * errors of CPython 3.11.
 *
 * CPython decides errors from the result: a NaN from a non-NaN argument is
 * `ValueError: math domain error`, an infinity from finite arguments is
 * `OverflowError: math range error` where the function can overflow (exp)
 * and a domain error where it is a pole (log(0)). The logarithms come from
 * `float_exact_log.ts` (correctly rounded, and `log10` by glibc's
 * formula); `pow` from `float_like_glibc_pow.ts`, glibc's own method.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { copysign, frexp, ldexp, remainder } from "./math_bits.ts";
import { exactLog, exactLog2, log10LikeGlibc } from "./float_exact_log.ts";
import { powLikeGlibc } from "./float_like_glibc_pow.ts";
import { domainError, rangeError } from "./math_special.ts";
import { floatToBigint, toFloat, typeName } from "./py_convert.ts";
import { PyException, PyTuple, type PyValue } from "./py_value.ts";

/**
 * Applies a one-argument float function with CPython's checks of its
 * result; `canOverflow` says whether an infinite result from a finite
 * argument is an overflow rather than a pole.
 */
export function applyChecked(
  fn: (x: number) => number,
  value: PyValue,
  canOverflow: boolean,
): number | PyException {
  const x = toFloat(value);
  const r = fn(x);
  if (Number.isNaN(r) && !Number.isNaN(x)) return domainError();
  if (!Number.isFinite(r) && Number.isFinite(x)) {
    return canOverflow ? rangeError() : domainError();
  }
  return r;
}

/**
 * The result check CPython applies to two-argument functions: a NaN from
 * non-NaN arguments is a domain error, an infinity from finite ones an
 * overflow.
 */
export function checkBinaryResult(x: number, y: number, r: number): number {
  if (Number.isNaN(r)) {
    if (!Number.isNaN(x) && !Number.isNaN(y)) throw domainError();
  } else if (!Number.isFinite(r)) {
    if (Number.isFinite(x) && Number.isFinite(y)) throw rangeError();
  }
  return r;
}

/** `math.fmod(x, y)`, exact. */
export function fmodChecked(xValue: PyValue, yValue: PyValue): number {
  const x = toFloat(xValue);
  const y = toFloat(yValue);
  // C's fmod(x, ±inf) is x, which some libraries got wrong, so CPython
  // answers it directly; JavaScript's % agrees.
  if (Math.abs(y) === Infinity && Number.isFinite(x)) return x;
  const r = x % y;
  if (Number.isNaN(r) && !Number.isNaN(x) && !Number.isNaN(y)) {
    throw domainError();
  }
  return r;
}

/** `math.remainder(x, y)`, exact. */
export function remainderChecked(xValue: PyValue, yValue: PyValue): number {
  const x = toFloat(xValue);
  const y = toFloat(yValue);
  return checkBinaryResult(x, y, remainder(x, y));
}

/** `math.pow(x, y)`, with C99's special values as CPython fixes them. */
export function pow(xValue: PyValue, yValue: PyValue): number {
  const x = toFloat(xValue);
  const y = toFloat(yValue);
  if (Number.isFinite(x) && Number.isFinite(y)) {
    const r = powLikeGlibc(x, y);
    if (Number.isNaN(r)) throw domainError();
    // An infinity from finite arguments is 0 ** negative (a pole) or an
    // overflow.
    if (!Number.isFinite(r)) throw x === 0 ? domainError() : rangeError();
    return r;
  }
  if (Number.isNaN(x)) return y === 0 ? 1 : x;
  if (Number.isNaN(y)) return x === 1 ? 1 : y;
  if (!Number.isFinite(x)) {
    const oddY = Number.isFinite(y) && Math.abs(y) % 2 === 1;
    if (y > 0) return oddY ? x : Math.abs(x);
    if (y === 0) return 1;
    return oddY ? copysign(0, x) : 0;
  }
  if (Math.abs(x) === 1) return 1;
  if (y > 0 && Math.abs(x) > 1) return y;
  if (y < 0 && Math.abs(x) < 1) return -y;
  return 0;
}

/**
 * `math.ldexp(x, i)`: exact, with CPython's handling of huge exponents and
 * `OverflowError` on overflow.
 */
export function ldexpChecked(xValue: PyValue, iValue: PyValue): number {
  const x = toFloat(xValue);
  if (typeof iValue !== "bigint" && typeof iValue !== "boolean") {
    throw makePyException(
      "TypeError",
      "Expected an int as second argument to ldexp.",
    );
  }
  if (x === 0 || !Number.isFinite(x)) return x;
  const i = typeof iValue === "boolean" ? (iValue ? 1n : 0n) : iValue;
  // Exponents beyond C's int range over- or underflow outright.
  if (i > 2147483647n) throw rangeError();
  if (i < -2147483648n) return copysign(0, x);
  const r = ldexp(x, Number(i));
  if (!Number.isFinite(r)) throw rangeError();
  return r;
}

/** `math.frexp(x)`: the mantissa and the int exponent. */
export function frexpTuple(value: PyValue): PyTuple {
  const x = toFloat(value);
  if (x !== 0 && Number.isFinite(x)) {
    const exponent = exponentOf(x);
    // Scaling a normal float by a power of two within range is exact.
    if (exponent >= -1021 && exponent <= 1022) {
      return new PyTuple([x * powerOfTwoFrom(-exponent), BigInt(exponent)]);
    }
  }
  const [mantissa, exponent] = frexp(x);
  return new PyTuple([mantissa, BigInt(exponent)]);
}

/** A float and its two 32-bit words, to read and build exponents. */
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);
const HIGH = littleEndian() ? 1 : 0;

function littleEndian(): boolean {
  FLOAT[0] = 1;
  return WORDS[1] === 0x3ff0_0000;
}

/**
 * The exponent `frexp(x)` gives for a finite nonzero `x`, read from its
 * bits for a normal `x`: `frexp()` works on bigints, which cost more than
 * the rest of `hypot` or of `math.frexp` on a plain float.
 */
export function exponentOf(x: number): number {
  FLOAT[0] = x;
  const biased = (WORDS[HIGH] >>> 20) & 0x7ff;
  return biased === 0 ? frexp(x)[1] : biased - 1022;
}

/** `2 ** k` for `-1022 <= k <= 1023`, built from its bits. */
export function powerOfTwoFrom(k: number): number {
  WORDS[HIGH] = (k + 1023) << 20;
  WORDS[1 - HIGH] = 0;
  return FLOAT[0];
}

/** `math.modf(x)`: the fractional and integral parts, signed like `x`. */
export function modfTuple(value: PyValue): PyTuple {
  const x = toFloat(value);
  if (Number.isNaN(x)) return new PyTuple([x, x]);
  if (!Number.isFinite(x)) return new PyTuple([copysign(0, x), x]);
  const whole = Math.trunc(x);
  return new PyTuple([copysign(x - whole, x), whole]);
}

/**
 * The mantissa in [0.5, 1), rounded half to even to 53 bits, and exponent
 * of a positive int too large for a float, as CPython's `_PyLong_Frexp`.
 */
function bigintFrexp(n: bigint): [number, number] {
  const bits = n.toString(2).length;
  // Keep 55 bits and fold the rest into a sticky lowest bit, so that the
  // conversion to a float rounds exactly as rounding n itself would.
  const shift = BigInt(bits - 55);
  let top = n >> shift;
  if ((top << shift) !== n) top |= 1n;
  const mantissa = Number(top) / 2 ** 55;
  return mantissa === 1 ? [0.5, bits + 1] : [mantissa, bits];
}

/**
 * A logarithm of any real number, as CPython's `loghelper`: an int too
 * large for a float is split as m * 2 ** e first.
 */
function logOf(
  value: PyValue,
  log: (x: number) => number,
): number | PyException {
  if (typeof value === "bigint" || typeof value === "boolean") {
    const n = typeof value === "boolean" ? (value ? 1n : 0n) : value;
    if (n <= 0n) return domainError();
    const x = Number(n);
    if (Number.isFinite(x)) return log(x);
    const [mantissa, exponent] = bigintFrexp(n);
    return log(mantissa) + log(2) * exponent;
  }
  return applyChecked(log, value, false);
}

/** `math.log(x[, base])`. */
export function logWithBase(
  args: readonly PyValue[],
): number | PyException {
  if (args.length < 1 || args.length > 2) {
    throw makePyException("TypeError", "math.log requires 1 to 2 arguments");
  }
  const numerator = logOf(args[0], exactLog);
  if (args.length === 1 || numerator instanceof PyException) return numerator;
  const denominator = logOf(args[1], exactLog);
  if (denominator instanceof PyException) return denominator;
  if (denominator === 0) {
    throw makePyException("ZeroDivisionError", "float division by zero");
  }
  return numerator / denominator;
}

/** `math.log2(x)`. */
export function log2(value: PyValue): number | PyException {
  return logOf(value, exactLog2);
}

/** `math.log10(x)`. */
export function log10(value: PyValue): number | PyException {
  return logOf(value, log10LikeGlibc);
}

/**
 * `math.floor`, `math.ceil` or `math.trunc` by `round`: ints come back as
 * they are (bools as ints), floats as the exact int.
 */
export function roundToInt(
  value: PyValue,
  round: (x: number) => number,
): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  return floatToBigint(round(toFloat(value)));
}

/** `math.trunc(x)`, whose complaint about other types differs. */
export function trunc(value: PyValue): bigint {
  if (typeof value === "object") {
    throw makePyException(
      "TypeError",
      `type ${typeName(value)} doesn't define __trunc__ method`,
    );
  }
  return roundToInt(value, Math.trunc);
}

/** `math.isclose(a, b, rel_tol, abs_tol)` on converted arguments. */
export function isclose(
  a: number,
  b: number,
  relTol: number,
  absTol: number,
): boolean {
  if (relTol < 0 || absTol < 0) {
    throw makePyException("ValueError", "tolerances must be non-negative");
  }
  if (a === b) return true;
  if (!Number.isFinite(a) && !Number.isNaN(a)) return false;
  if (!Number.isFinite(b) && !Number.isNaN(b)) return false;
  const diff = Math.abs(b - a);
  return diff <= Math.abs(relTol * b) || diff <= Math.abs(relTol * a) ||
    diff <= absTol;
}
