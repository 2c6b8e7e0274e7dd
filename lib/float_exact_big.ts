/**
 * Exact arithmetic on BigInts for the slow path of the correctly rounded
 * functions: fixed-point exponential and logarithm to any precision, and
 * rounding a value known within an error bound to the nearest float, or
 * saying that the bound leaves the rounding in doubt.
 *
 * A fixed-point number with `w` fraction bits is the BigInt `n` standing
 * for `n * 2 ** -w`.
 *
 * @module
 */

import { decompose } from "./float_exact_bits.ts";
import { POW2 } from "./float_exact_dd.ts";

/** The number of bits of a nonnegative BigInt. */
function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** atanh(1 / q) for an integer q > 1, with `w` fraction bits. */
function atanhOfReciprocal(q: bigint, w: number): bigint {
  const q2 = q * q;
  let power = (1n << BigInt(w)) / q;
  let sum = power;
  for (let k = 3n; power !== 0n; k += 2n) {
    power /= q2;
    sum += power / k;
  }
  return sum;
}

const ln2Cache = new Map<number, bigint>();

/** ln 2 with `w` fraction bits, truncated: 2 atanh(1/3). */
export function ln2Fixed(w: number): bigint {
  let v = ln2Cache.get(w);
  if (v === undefined) {
    v = (2n * atanhOfReciprocal(3n, w + 16)) >> 16n;
    ln2Cache.set(w, v);
  }
  return v;
}

/** Floor division of BigInts, rounding towards minus infinity. */
function floorShift(n: bigint, shift: number): bigint {
  return shift >= 0 ? n >> BigInt(shift) : n << BigInt(-shift);
}

/**
 * `x * 2 ** w` rounded down, for a float `x`: `x` as a fixed-point number
 * with `w` fraction bits.
 */
export function floatToFixed(x: number, w: number): bigint {
  if (x === 0) return 0n;
  const [m, e] = decompose(x);
  return floorShift(m, -(e + w));
}

/**
 * exp(t * 2 ** -w) as `[m, e]`, meaning `m * 2 ** e`, within a relative
 * error of 2 ** -(w - 4), for |t * 2 ** -w| below about 2 ** 20.
 */
export function expFixed(t: bigint, w: number): [bigint, number] {
  const guard = 24;
  const wp = w + guard;
  const ln2 = ln2Fixed(wp);
  const approx = Number(floorShift(t, w - 40)) / 2 ** 40;
  const k = Math.round(approx / Math.LN2);
  // r = t - k ln2, then divided by 2 ** halvings so the series is short;
  // squaring the sum as often brings it back.
  const halvings = 12;
  const r = (t << BigInt(guard)) - BigInt(k) * ln2;
  const one = 1n << BigInt(wp);
  let sum = one;
  let term = one;
  const shift = BigInt(wp + halvings);
  for (let n = 1n; term !== 0n; n++) {
    term = ((term * r) >> shift) / n;
    sum += term;
  }
  for (let i = 0; i < halvings; i++) sum = (sum * sum) >> BigInt(wp);
  return [sum, k - wp];
}

/**
 * The natural logarithm of the positive dyadic `m * 2 ** e`, with `w`
 * fraction bits and an absolute error below 2 ** -(w - 2) for exponents
 * below about 2 ** 20: the exponent times ln 2 plus 2 atanh((f - 1) /
 * (f + 1)) of the significand `f` taken in [sqrt(1/2), sqrt(2)).
 */
export function logFixed(m: bigint, e: number, w: number): bigint {
  const wp = w + 24;
  let bits = bitLength(m);
  // f = m / 2 ** bits lies in [1/2, 1); move it to [sqrt(1/2), sqrt(2)).
  if (m * m < 1n << BigInt(2 * bits - 1)) bits -= 1;
  const exponent = e + bits;
  const den = 1n << BigInt(bits);
  // atanh is odd: the series runs on |z|, so that shifts round one way.
  const difference = m - den;
  const z = ((difference < 0n ? -difference : difference) << BigInt(wp)) /
    (m + den);
  const z2 = (z * z) >> BigInt(wp);
  let power = z;
  let sum = z;
  for (let k = 3n; power !== 0n; k += 2n) {
    power = (power * z2) >> BigInt(wp);
    sum += power / k;
  }
  if (difference < 0n) sum = -sum;
  const log = 2n * sum + BigInt(exponent) * ln2Fixed(wp);
  return log >> 24n;
}

/**
 * The float nearest to `m * 2 ** e` for `m >= 0`, ties to even, when the
 * true value lies within `error` units of `m` and that cannot change the
 * rounding; `undefined` when it could. An `error` of 0 means `m` is exact.
 */
function roundDyadic(
  m: bigint,
  e: number,
  error: bigint,
): number | undefined {
  if (m === 0n) return error === 0n ? 0 : undefined;
  const lead = bitLength(m) - 1 + e;
  if (lead > 1023) return Infinity;
  const ulpExponent = Math.max(lead - 52, -1074);
  const drop = ulpExponent - e;
  if (drop <= 0) {
    return error === 0n ? Number(m) * POW2(e) : undefined;
  }
  let kept = m >> BigInt(drop);
  const rest = m - (kept << BigInt(drop));
  const half = 1n << BigInt(drop - 1);
  const fromHalf = rest - half;
  if ((fromHalf < 0n ? -fromHalf : fromHalf) <= error) {
    if (error !== 0n) return undefined;
    if ((kept & 1n) === 1n) kept += 1n;
  } else if (fromHalf > 0n) {
    kept += 1n;
  }
  return Number(kept) * POW2(ulpExponent);
}

/** The precisions, in bits, that Ziv's strategy tries in turn. */
const ZIV_PRECISIONS = [64, 128, 256, 512, 1024, 2048, 4096];

/**
 * The float nearest to a value that `approximate(p)` gives as `[m, e,
 * error]` (meaning `m * 2 ** e`, `m` signed, within `error` units of `m`,
 * relatively about 2 ** -p): more bits are asked for while the rounding is
 * in doubt. A transcendental value is never exactly a tie, so the doubt
 * ends; past the last precision the approximation itself is rounded.
 */
export function roundByZiv(
  approximate: (precision: number) => [bigint, number, bigint],
): number {
  let result: number | undefined;
  for (const precision of ZIV_PRECISIONS) {
    const [m, e, error] = approximate(precision);
    const last = precision === ZIV_PRECISIONS[ZIV_PRECISIONS.length - 1];
    result = roundDyadic(m < 0n ? -m : m, e, last ? 0n : error);
    if (result !== undefined) return m < 0n ? -result : result;
  }
  return result ?? NaN;
}

/** atan(1 / q) for an integer q > 1, with `w` fraction bits. */
function atanOfReciprocal(q: bigint, w: number): bigint {
  const q2 = q * q;
  let power = (1n << BigInt(w)) / q;
  let sum = power;
  for (let k = 3n, sign = -1n; power !== 0n; k += 2n, sign = -sign) {
    power /= q2;
    sum += sign * (power / k);
  }
  return sum;
}

const piCache = new Map<number, bigint>();

/** pi with `w` fraction bits, by Machin's formula, within 2 units. */
export function piFixed(w: number): bigint {
  // Computed for multiples of 256 bits only, so that the cache stays small.
  const stored = Math.ceil(w / 256) * 256;
  let v = piCache.get(stored);
  if (v === undefined) {
    const g = stored + 16;
    v = (16n * atanOfReciprocal(5n, g) - 4n * atanOfReciprocal(239n, g)) >>
      16n;
    piCache.set(stored, v);
  }
  return v >> BigInt(stored - w);
}

/**
 * `[sin r, cos r]` for the fixed-point r with `w` fraction bits, |r| below
 * 1, by their Taylor series, each within `w / 2` units.
 */
export function sinCosFixed(r: bigint, w: number): [bigint, bigint] {
  const shift = BigInt(w);
  const r2 = (r * r) >> shift;
  let sinTerm = r;
  let cosTerm = 1n << shift;
  let sin = sinTerm;
  let cos = cosTerm;
  for (let n = 1n; sinTerm !== 0n || cosTerm !== 0n; n += 2n) {
    cosTerm = -((cosTerm * r2) >> shift) / (n * (n + 1n));
    sinTerm = -((sinTerm * r2) >> shift) / ((n + 1n) * (n + 2n));
    cos += cosTerm;
    sin += sinTerm;
  }
  return [sin, cos];
}

/** The floor of the square root of a nonnegative BigInt. */
export function isqrtFloor(n: bigint): bigint {
  if (n === 0n) return 0n;
  // The leading 52 or 53 bits give a start at or above the root; Newton's
  // integer step then falls monotonically to its floor.
  const shift = Math.max(0, (bitLength(n) - 52) & ~1);
  const top = Math.sqrt(Number(n >> BigInt(shift)));
  let x = (BigInt(Math.floor(top)) + 1n) << BigInt(shift / 2);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * atan(z) for the fixed-point z with `w` fraction bits, 0 <= z <= 1,
 * within 4 units: eight halvings by atan z = 2 atan(z / (1 + sqrt(1 +
 * z²))) bring z below 2 ** -8, where the Taylor series is short.
 */
export function atanFixed(z: bigint, w: number): bigint {
  const guard = 16;
  const wp = BigInt(w + guard);
  const one = 1n << wp;
  const halvings = 8n;
  let t = z << BigInt(guard);
  for (let i = 0n; i < halvings; i++) {
    const root = isqrtFloor((one << wp) + t * t);
    t = (t << wp) / (one + root);
  }
  const t2 = (t * t) >> wp;
  let power = t;
  let sum = t;
  for (let k = 3n, sign = -1n; power !== 0n; k += 2n, sign = -sign) {
    power = (power * t2) >> wp;
    sum += sign * (power / k);
  }
  return (sum << halvings) >> BigInt(guard);
}
