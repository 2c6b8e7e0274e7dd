/**
 * A correctly rounded fused multiply-add, `fma(a, b, c)` = a * b + c with
 * one rounding, as C's `fma` and as the FMA instruction that compilers
 * put in place of `a * b + c` when they contract it.
 *
 * The fast path is Boldo and Melquiond's: the product split exactly into
 * p + e (Dekker's product), c + p split exactly into s + t (Knuth's
 * two-sum), then t + e rounded to odd, and s plus that rounded to
 * nearest, which is the correctly rounded sum of all three. It holds when
 * nothing overflows or underflows; near those edges the exact BigInt path
 * decides.
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
import { POW2, twoProdLow, twoSumLow } from "./float_exact_dd.ts";

// Below this the product's rounding error may be subnormal, and inexact.
const TINY = 2 ** -960;
// Above this Dekker's split or the sum may overflow.
const HUGE = 2 ** 990;

const WORD = new Float64Array(1);
const WORD_LOW = new Uint32Array(WORD.buffer);
// Which 32-bit word holds the low bits of the significand.
const LOW = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

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
  if (ap === 0) return p + c;

  const e = twoProdLow(a, b, p);
  const s = c + p;
  const t = twoSumLow(c, p, s);
  return s + sumRoundedToOdd(t, e);
}

/**
 * `t + e` rounded to odd: truncated towards zero, with the last bit set
 * when that loses anything. Adding it to a much larger sum rounds the
 * three terms' exact sum as one rounding would.
 */
function sumRoundedToOdd(t: number, e: number): number {
  const u = t + e;
  const error = twoSumLow(t, e, u);
  if (error === 0) return u;
  WORD[0] = u;
  if ((WORD_LOW[LOW] & 1) === 1) return u;
  // u is even and inexact: the neighbour towards the exact sum is odd.
  const toward = error > 0 ? Infinity : -Infinity;
  return nextToward(u, toward);
}

/** The float next to a finite `x` in the direction of `toward`. */
function nextToward(x: number, toward: number): number {
  if (x === 0) return toward > 0 ? POW2(-1074) : -POW2(-1074);
  WORD[0] = x;
  const step = (x < toward) === (x > 0) ? 1 : -1;
  const low = WORD_LOW[LOW] + step;
  WORD_LOW[LOW] = low >>> 0;
  // A carry or borrow into the high word.
  if (low === 0x100000000) WORD_LOW[1 - LOW] += 1;
  if (low === -1) WORD_LOW[1 - LOW] -= 1;
  return WORD[0];
}

/** `fma` for infinities, NaNs and results near overflow or underflow. */
function fmaEdge(a: number, b: number, c: number, p: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    return p + c;
  }
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
