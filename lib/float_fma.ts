/**
 * A correctly rounded fused multiply-add, `fma(a, b, c)` = a * b + c with
 * one rounding, as C's `fma` and as the FMA instruction that compilers
 * put in place of `a * b + c` when they contract it.
 *
 * The unfused s = RN(RN(a b) + c) is computed first with its rounding
 * error t (Knuth's two-sum); when t lies clear of a rounding boundary by
 * more than the product's own rounding error can move it, s is the answer,
 * as nearly always when |a b| is much smaller than |c|. Otherwise the
 * product's error e comes exactly from Dekker's product, and s + (t + e)
 * is the correctly rounded result unless s + RN(t + e) falls exactly
 * halfway between two floats, where the rounding error of t + e decides.
 * This holds when nothing overflows or underflows; near those edges an
 * exact BigInt sum decides.
 *
 * @example
 * ```ts
 * import { fma } from "./float_fma.ts";
 *
 * fma(0.1, 10, -1); // 5.551115123125783e-17, where 0.1 * 10 - 1 is 0
 * ```
 *
 * @module
 */

import { decompose } from "./float_exact_bits.ts";
import { POW2, twoSumLow } from "./float_exact_dd.ts";

// Veltkamp's splitter for doubles, 2 ** 27 + 1.
const SPLITTER = 134217729;
// Below this the product's rounding error may be subnormal, and inexact.
const TINY = 2 ** -960;
// Above this Dekker's split or the sum may overflow.
const HUGE = 2 ** 990;

/** `a * b + c` with a single rounding to nearest, ties to even. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = Math.abs(p);
  if (
    !(ap < HUGE && Math.abs(c) < HUGE && Math.abs(a) < HUGE &&
      Math.abs(b) < HUGE) || (ap < TINY && a !== 0 && b !== 0)
  ) {
    return fmaEdge(a, b, c, p);
  }
  return fmaInRange(a, b, c);
}

/**
 * {@linkcode fma} without the checks of its range, for the hot paths
 * whose operands are known: a, b and c finite and below 2 ** 990 in
 * magnitude, and a * b zero or at least 2 ** -960.
 */
export function fmaInRange(a: number, b: number, c: number): number {
  // The unfused s = RN(RN(a b) + c), with its rounding error t. The
  // product's own rounding error is at most |p| 2 ** -53, so when t stays
  // clear of a rounding boundary by twice that (plus a little for the
  // roundings of the test itself), the fused result is s too. With |a b|
  // much smaller than |c|, as in polynomial steps, that is nearly always.
  const p = a * b;
  const s = c + p;
  const back = s - c;
  const t = (c - (s - back)) + (p - back);
  const margin = Math.abs(p) * 2 ** -52 + Math.abs(s) * 2 ** -103;
  if (s + (t + margin) === s && s + (t - margin) === s) return s;
  return fmaExactProduct(a, b, p, s, t);
}

/**
 * The rest of {@linkcode fmaInRange}: Dekker's product gives the exact
 * rounding error e of p = RN(a b), and s + (t + e) rounds the exact
 * a b + c = s + t + e as one rounding would unless s + RN(t + e) lies
 * exactly halfway between two floats, which needs a w = RN(t + e) of a few
 * significant bits: s is a float and |w| at most about two units in its
 * last place.
 */
function fmaExactProduct(
  a: number,
  b: number,
  p: number,
  s: number,
  t: number,
): number {
  let split = SPLITTER * a;
  const ah = split - (split - a);
  const al = a - ah;
  split = SPLITTER * b;
  const bh = split - (split - b);
  const bl = b - bh;
  const e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  const w = t + e;
  const result = s + w;
  split = SPLITTER * w;
  if (split - (split - w) !== w) return result;
  return roundHalfway(s, t, e, result);
}

/**
 * The end of {@linkcode fmaInRange} when w = t + e is short: when s + w is
 * exactly halfway and t + e was rounded, its rounding error decides.
 */
function roundHalfway(s: number, t: number, e: number, result: number) {
  const w = t + e;
  const g = twoSumLow(t, e, w);
  const d = twoSumLow(s, w, result);
  if (g === 0 || d === 0 || (result + 2 * d) - result !== 2 * d) {
    return result;
  }
  return (d > 0) === (g > 0) ? result + 2 * d : result;
}

/** `fma` for infinities, NaNs and results near overflow or underflow. */
function fmaEdge(a: number, b: number, c: number, p: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return p + c;
  // A finite product, however large, leaves an infinite or NaN c as it is.
  if (!Number.isFinite(c)) return c;
  if (a === 0 || b === 0) return p + c;
  return exactSum(a, b, c);
}

/** a * b + c for finite a, b, c (a, b nonzero), in BigInt, rounded once. */
function exactSum(a: number, b: number, c: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  let m = ma * mb;
  let e = ea + eb;
  if (c !== 0) {
    const [mc, ec] = decompose(c);
    const low = Math.min(e, ec);
    m = (m << BigInt(e - low)) + (mc << BigInt(ec - low));
    e = low;
  }
  // An exact zero is +0 when rounding to nearest, as IEEE 754 says.
  if (m === 0n) return 0;
  return roundScaled(m, e);
}

/** `m * 2 ** e` rounded to the nearest float, ties to even. */
function roundScaled(m: bigint, e: number): number {
  const negative = m < 0n;
  let magnitude = negative ? -m : m;
  const length = magnitude.toString(2).length;
  // The weight of the last bit the result can keep.
  const last = Math.max(e + length - 53, -1074);
  if (last > e) {
    const drop = BigInt(last - e);
    const half = 1n << (drop - 1n);
    const rest = magnitude & ((1n << drop) - 1n);
    magnitude >>= drop;
    if (rest > half || (rest === half && (magnitude & 1n) === 1n)) {
      magnitude += 1n;
    }
    e = last;
  }
  // At most 54 bits, so the scaling is exact, or overflows.
  const result = e > 1023 ? Infinity : Number(magnitude) * POW2(e);
  return negative ? -result : result;
}
