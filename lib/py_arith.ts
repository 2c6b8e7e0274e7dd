/**
 * Python's division, modulo and power on ints and floats, with CPython's
 * rounding, signs and error messages.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import {
  bitLength,
  chargeWork,
  checkResultBits,
  divideMicros,
  isCheap,
  powerMicros,
} from "./limits.ts";
import { bigintToFloat } from "./py_convert.ts";
import { powLikeGlibc } from "./float_like_glibc_pow.ts";
import { PyException } from "./py_value.ts";

function zeroDivision(message: string): PyException {
  return makePyException("ZeroDivisionError", message);
}

/** Charges the work of dividing `a` by `b` when they are big. */
function chargeDivision(a: bigint, b: bigint, what: string): void {
  if (isCheap(a) && isCheap(b)) return;
  chargeWork(divideMicros(bitLength(a), bitLength(b)), what);
}

const FLOAT_EXACT_LIMIT = 1n << 53n;
const MINUS_FLOAT_EXACT_LIMIT = -FLOAT_EXACT_LIMIT;

/** Whether `n` converts to a float without rounding, with room to spare. */
function isExactFloat(n: bigint): boolean {
  return n < FLOAT_EXACT_LIMIT && n > MINUS_FLOAT_EXACT_LIMIT;
}

/**
 * `a / b` for ints: the float nearest to the exact quotient, ties to even,
 * as CPython computes it, even when `a` and `b` are far beyond float range.
 */
export function intTrueDivide(a: bigint, b: bigint): number {
  if (b === 0n) throw zeroDivision("division by zero");
  if (isExactFloat(a) && isExactFloat(b)) {
    // Both are exact floats, and IEEE division rounds correctly.
    return Number(a) / Number(b);
  }
  const negative = (a < 0n) !== (b < 0n);
  const result = positiveQuotient(a < 0n ? -a : a, b < 0n ? -b : b);
  return negative ? -result : result;
}

/** The correctly rounded float of `a / b` for `a >= 0`, `b > 0`. */
function positiveQuotient(a: bigint, b: bigint): number {
  if (a === 0n) return 0;
  chargeDivision(a, b, "/");
  const aBits = bitLength(a);
  const bBits = bitLength(b);
  // Aim for a quotient of at least 55 bits, so 2 bits guide the rounding.
  const shift = 55 - (aBits - bBits);
  const numerator = shift > 0 ? a << BigInt(shift) : a;
  const denominator = shift < 0 ? b << BigInt(-shift) : b;
  let q = numerator / denominator;
  const inexact = q * denominator !== numerator;
  const qBits = bitLength(q);
  // The value is q * 2**-shift, with its top bit at 2**top.
  const top = qBits - 1 - shift;
  if (top > 1023) overflow();
  const keep = top >= -1022 ? 53 : 53 - (-1022 - top);
  if (
    keep <= 0 && !(keep === 0 && (q > (1n << BigInt(qBits - 1)) || inexact))
  ) {
    return 0;
  }
  const drop = qBits - Math.max(keep, 0);
  q = roundHalfEven(q, drop, inexact);
  const value = scaleByPowerOfTwo(Number(q), drop - shift);
  if (!Number.isFinite(value)) overflow();
  return value;
}

function overflow(): never {
  throw makePyException(
    "OverflowError",
    "integer division result too large for a float",
  );
}

/** `q >> drop`, rounded half to even; `sticky` marks bits already lost. */
function roundHalfEven(q: bigint, drop: number, sticky: boolean): bigint {
  if (drop <= 0) return q;
  const d = BigInt(drop);
  const kept = q >> d;
  const rest = q - (kept << d);
  const half = 1n << (d - 1n);
  if (rest > half || (rest === half && (sticky || (kept & 1n) === 1n))) {
    return kept + 1n;
  }
  return kept;
}

/** `x * 2**exponent`, exact whenever the result is representable. */
function scaleByPowerOfTwo(x: number, exponent: number): number {
  // Two steps keep every intermediate in the normal range.
  while (exponent > 1000) {
    x *= 2 ** 1000;
    exponent -= 1000;
  }
  while (exponent < -1000) {
    x *= 2 ** -1000;
    exponent += 1000;
  }
  return x * 2 ** exponent;
}

/** `a // b` for ints, rounding toward minus infinity. */
export function intFloorDivide(a: bigint, b: bigint): bigint {
  if (b === 0n) throw zeroDivision("integer division or modulo by zero");
  chargeDivision(a, b, "//");
  const q = a / b;
  // The signs first: most divisions have like signs and need no remainder,
  // and a product costs less than the second division `a % b` would.
  return ((a < 0n) !== (b < 0n) && q * b !== a) ? q - 1n : q;
}

/** `a % b` for ints, with the sign of `b`. */
export function intModulo(
  a: bigint,
  b: bigint,
  message = "integer modulo by zero",
): bigint {
  if (b === 0n) throw zeroDivision(message);
  chargeDivision(a, b, "%");
  const r = a % b;
  return (r !== 0n && (r < 0n) !== (b < 0n)) ? r + b : r;
}

/** `divmod(a, b)` for floats, as CPython's `float_divmod` computes it. */
export function floatDivmod(
  x: number,
  y: number,
  message = "float divmod()",
): [number, number] {
  if (y === 0) throw zeroDivision(message);
  let mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0) {
    if ((y < 0) !== (mod < 0)) {
      mod += y;
      div -= 1;
    }
  } else {
    mod = y < 0 ? -0 : 0;
  }
  let floor: number;
  if (div !== 0) {
    floor = Math.floor(div);
    if (div - floor > 0.5) floor += 1;
  } else {
    floor = (x / y) < 0 || Object.is(x / y, -0) ? -0 : 0;
  }
  return [floor, mod];
}

/** `x % y` for floats, with the sign of `y`. */
export function floatModulo(x: number, y: number): number {
  if (y === 0) throw zeroDivision("float modulo");
  let mod = x % y;
  if (mod !== 0) {
    if ((y < 0) !== (mod < 0)) mod += y;
  } else {
    mod = y < 0 ? -0 : 0;
  }
  return mod;
}

/** `x // y` for floats. */
export function floatFloorDivide(x: number, y: number): number {
  return floatDivmod(x, y, "float floor division by zero")[0];
}

/** `x / y` for floats. */
export function floatTrueDivide(x: number, y: number): number {
  if (y === 0) throw zeroDivision("float division by zero");
  return x / y;
}

function isOddInteger(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x % 2) === 1;
}

/** `x ** y` for floats, with CPython's special cases and errors. */
export function floatPower(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return x === 1 ? 1 : y;
  if (!Number.isFinite(y)) {
    const ax = Math.abs(x);
    if (ax === 1) return 1;
    return (y > 0) === (ax > 1) ? Infinity : 0;
  }
  if (!Number.isFinite(x)) {
    if (y > 0) return isOddInteger(y) ? x : Infinity;
    return isOddInteger(y) ? (x < 0 ? -0 : 0) : 0;
  }
  if (x === 0) {
    if (y < 0) {
      throw zeroDivision("0.0 cannot be raised to a negative power");
    }
    return isOddInteger(y) ? x : 0;
  }
  let negate = false;
  if (x < 0) {
    if (!Number.isInteger(y)) {
      throw makePyException(
        "UnsupportedError",
        "complex results are not supported",
      );
    }
    x = -x;
    negate = isOddInteger(y);
  }
  if (x === 1) return negate ? -1 : 1;
  const result = powLikeGlibc(x, y);
  if (!Number.isFinite(result)) {
    throw makePyException(
      "OverflowError",
      "(34, 'Numerical result out of range')",
    );
  }
  return negate ? -result : result;
}

/** `a ** b` for ints: exact for `b >= 0`, a float otherwise. */
export function intPower(a: bigint, b: bigint): bigint | number {
  if (b < 0n) return floatPower(bigintToFloat(a), bigintToFloat(b));
  if (a === 0n || a === 1n || b === 0n) return b === 0n ? 1n : a;
  if (a === -1n) return (b & 1n) === 0n ? 1n : -1n;
  const magnitude = a < 0n ? -a : a;
  if (isPowerOfTwo(magnitude)) {
    // A power of two: a shift, linear in the size of the result.
    const shift = BigInt(bitLength(magnitude) - 1) * b;
    checkResultBits(Number(shift) + 1, "**");
    const result = 1n << shift;
    return a < 0n && (b & 1n) === 1n ? -result : result;
  }
  const bits = Number(b) * approximateLog2(a);
  if (bits > 64) {
    checkResultBits(bits, "**");
    chargeWork(powerMicros(bits), "**");
  } else if (bits < 52) {
    return BigInt(exactFloatPower(Number(a), Number(b)));
  }
  return a ** b;
}

/**
 * `x ** n` for an int `x` and a result below 2**52 in magnitude, by
 * repeated float products, each exact: quicker than a bigint `**`, which
 * calls into the runtime.
 */
function exactFloatPower(x: number, n: number): number {
  let result = x;
  for (let i = 1; i < n; i++) result *= x;
  return result;
}

/**
 * Whether `n > 0` is a power of two, found in floats for the small bases
 * of nearly every power, which spares two bigint steps.
 */
function isPowerOfTwo(n: bigint): boolean {
  if (n < SMALL_BASE_LIMIT) {
    const x = Number(n);
    return (x & (x - 1)) === 0;
  }
  return (n & (n - 1n)) === 0n;
}

const SMALL_BASE_LIMIT = 1n << 30n;

/** log2(|a|), closely enough for size estimates. */
function approximateLog2(a: bigint): number {
  const x = Math.abs(Number(a));
  return Number.isFinite(x) ? Math.log2(x) : bitLength(a);
}

/** `pow(base, exp, mod)` for ints, CPython's three-argument form. */
export function modularPower(base: bigint, exp: bigint, mod: bigint): bigint {
  if (mod === 0n) {
    throw makePyException("ValueError", "pow() 3rd argument cannot be 0");
  }
  const m = mod < 0n ? -mod : mod;
  if (exp < 0n) {
    base = modularInverse(base, m);
    exp = -exp;
  }
  let result: bigint;
  if (m <= SMALL_MODULUS && exp <= MAX_SAFE_EXPONENT) {
    // At most 53 steps on floats: too little work to charge.
    const reduced = Number(((base % m) + m) % m);
    result = BigInt(smallModularPower(reduced, Number(exp), Number(m)));
  } else {
    result = bigModularPower(base, exp, m);
  }
  return mod < 0n && result !== 0n ? result - m : result;
}

/** `base ** exp % m` for `m > 0` and `exp >= 0`, on bigints, charged. */
function bigModularPower(base: bigint, exp: bigint, m: bigint): bigint {
  const modBits = bitLength(m);
  const expBits = bitLength(exp);
  if (!isCheap(m) || expBits > 64) {
    chargeWork(expBits * 2 * divideMicros(2 * modBits, modBits), "pow()");
  }
  let result = m === 1n ? 0n : 1n;
  let square = ((base % m) + m) % m;
  while (exp > 0n) {
    if ((exp & 1n) === 1n) result = (result * square) % m;
    square = (square * square) % m;
    exp >>= 1n;
  }
  return result;
}

/** Moduli up to this are worked in floats by {@linkcode smallModularPower}. */
const SMALL_MODULUS = 2n ** 32n;
const MAX_SAFE_EXPONENT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * `base ** exp % m` for `0 <= base < m <= 2**32` and a safe `exp >= 0`, in
 * float arithmetic, which is exact here (see `multiplyModulo`) and several
 * times quicker than bigint steps: `pow(3, 200, 10**9 + 7)` is a classroom
 * favourite.
 */
function smallModularPower(base: number, exp: number, m: number): number {
  let result = m === 1 ? 0 : 1;
  let square = base;
  while (exp > 0) {
    const half = Math.floor(exp / 2);
    if (exp !== half * 2) result = multiplyModulo(result, square, m);
    square = multiplyModulo(square, square, m);
    exp = half;
  }
  return result;
}

/**
 * `a * b % m` for `a, b < m <= 2**32`, exactly: `b` is split into 16-bit
 * halves, so that no product or sum reaches 2**49, far below 2**53.
 */
function multiplyModulo(a: number, b: number, m: number): number {
  const high = Math.floor(b / 65536);
  const low = b - high * 65536;
  return modulo(modulo(a * high, m) * 65536 + a * low, m);
}

/**
 * `x % m` for integers `0 <= x < 2**53` and `m > 0`, by a division: V8's
 * `%` on such floats calls C's `fmod`, which costs several times more. The
 * quotient, rounded, may be one off when `x / m` lies next to an integer;
 * the last step corrects it.
 */
function modulo(x: number, m: number): number {
  const r = x - Math.floor(x / m) * m;
  return r < 0 ? r + m : r >= m ? r - m : r;
}

/** The inverse of `a` modulo `m > 0`, or CPython's `ValueError`. */
function modularInverse(a: bigint, m: bigint): bigint {
  chargeWork(
    bitLength(m) * divideMicros(2 * bitLength(m), bitLength(m)) / 8,
    "pow()",
  );
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) {
    if (m === 1n) return 0n;
    throw makePyException(
      "ValueError",
      "base is not invertible for the given modulus",
    );
  }
  return ((oldS % m) + m) % m;
}
