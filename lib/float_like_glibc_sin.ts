/**
 * `sin` and `cos` as glibc 2.36 computes them on x86-64, bit for bit,
 * including the results (about 1 in 1,500) that are not correctly rounded.
 *
 * The method is IBM's Accurate Mathematical Library's, whose slow paths
 * glibc has removed: below 2 ** -26 sin x is x, below 2 ** -27 cos x is
 * 1; below 0.126 sin is a Taylor polynomial with a correction for the low part
 * of the argument; otherwise the argument x + dx is split as Xi + x with
 * Xi = i/128, and sin(Xi + x) = sin Xi cos x + cos Xi sin x from a table of
 * sin Xi and cos Xi, each as a double-double, and short polynomials for
 * sin x and cos x - 1. Arguments up to 0.855 are used as they are, up to
 * 2.426 as pi/2 - |x| (pi/2 in two parts), up to 105414350 reduced by
 * nearest multiples of pi/2 split into four parts, and beyond that by
 * glibc's huge reduction (./float_like_glibc_branred.ts). The table is
 * computed here at load time from 200-bit values of sin and cos; it equals
 * glibc's entry for entry.
 *
 * On a CPU with FMA, glibc runs a build of this code compiled for it, where
 * GCC fuses each `a * b + c` whose product feeds only additions. So every
 * such step is fused here too. Against CPython 3.11 on glibc 2.36 with FMA
 * the replies were identical on 560,000 inputs per function (tiny,
 * subnormal, every range above, near multiples of pi/2, up to 2 ** 1024).
 * Unfusing the combination of the table values with the polynomials gave
 * hundreds of differences, unfusing the correction of the Taylor
 * polynomial a few dozen; the other fused steps showed none either way.
 *
 * @example
 * ```ts
 * import { cosLikeGlibc, sinLikeGlibc } from "./float_like_glibc_sin.ts";
 *
 * sinLikeGlibc(1); // 0.8414709848078965
 * cosLikeGlibc(1); // 0.5403023058681398
 * ```
 *
 * @module
 */

import { sinCosFixed } from "./float_exact_big.ts";
import { hexToFloat } from "./float_exact_bits.ts";
import { fixedToDouble } from "./float_exact_dd.ts";
import { fmaInRange } from "./float_fma.ts";
import {
  hugeReduce,
  hugeReduceHigh,
  hugeReduceLow,
} from "./float_like_glibc_branred.ts";
import { highWord } from "./float_like_glibc_words.ts";

// sin(i/128) = SIN_HI[i] + SIN_LO[i] and cos(i/128) likewise, i < 110.
const SIN_HI = new Float64Array(110);
const SIN_LO = new Float64Array(110);
const COS_HI = new Float64Array(110);
const COS_LO = new Float64Array(110);
{
  const bits = 200;
  for (let i = 0; i < SIN_HI.length; i++) {
    const [sin, cos] = sinCosFixed(BigInt(i) << BigInt(bits - 7), bits);
    [SIN_HI[i], SIN_LO[i]] = fixedToDouble(sin, bits);
    [COS_HI[i], COS_LO[i]] = fixedToDouble(cos, bits);
  }
}

// x + x³ (S1 + S2 x² + ... + S5 x⁸) for sin x with |x| < 0.126.
const S1 = hexToFloat("-0x1.5555555555555p-3");
const S2 = hexToFloat("0x1.1111111110ecep-7");
const S3 = hexToFloat("-0x1.a01a019db08b8p-13");
const S4 = hexToFloat("0x1.71de27b9a7ed9p-19");
const S5 = hexToFloat("-0x1.addffc2fcdf59p-26");
// sin x = x + x³ (SN3 + SN5 x²) and cos x = 1 - x² (CS2 + CS4 x² + CS6
// x⁴) for |x| <= 1/256, as glibc's decimal constants round.
const SN3 = -1.66666666666664880952546298448555e-1;
const SN5 = 8.33333214285722277379541354343671e-3;
const CS2 = 4.99999999999999999999950396842453e-1;
const CS4 = -4.16666666666664434524222570944589e-2;
const CS6 = 1.38888874007937613028114285595617e-3;
// Adding 1.5 * 2 ** 45 rounds a value below 2 ** 44 to a multiple of 1/128.
const ROUND_128TH = 1.5 * 2 ** 45;
// pi/2 as a double-double, and in four parts for the medium reduction.
const HALF_PI_HI = hexToFloat("0x1.921fb54442d18p+0");
const HALF_PI_LO = hexToFloat("0x1.1a62633145c07p-54");
const MP1 = hexToFloat("0x1.921fb58000000p+0");
const MP2 = hexToFloat("-0x1.dde973c000000p-27");
const PP3 = hexToFloat("-0x1.cb3b398000000p-55");
const PP4 = hexToFloat("-0x1.d747f23e32ed7p-83");
const TWO_OVER_PI = hexToFloat("0x1.45f306dc9c883p-1");
const ROUND_INTEGER = 1.5 * 2 ** 52;

// High words (of |x|) where the method changes: 2 ** -27, 2 ** -26,
// 0.85546875, 2.4262..., 105414350 and infinity.
const HIGH_2_M27 = 0x3e400000;
const HIGH_2_M26 = 0x3e500000;
const HIGH_DIRECT = 0x3feb6000;
const HIGH_NEAR_HALF_PI = 0x400368fd;
const HIGH_MEDIUM = 0x419921fb;
const HIGH_INFINITY = 0x7ff00000;

// Every fused step below has operands under 4 in magnitude and products
// that are 0 or far above 2 ** -960, as fmaInRange needs: a reduced
// argument a of a double is above 2 ** -62 (the nearest a double comes to
// a multiple of pi/2 is about 2 ** -61), x - Xi is 0 or at least ulp(a),
// and the low part da is 0 or within a few powers of 2 of ulp(a) / 2 (at
// least 2 ** -115 on every input measured).

/** sin(a + da) for |a| < 0.126 by glibc's corrected Taylor polynomial. */
function taylorSin(a: number, da: number): number {
  const xx = a * a;
  const p = fmaInRange(
    fmaInRange(fmaInRange(fmaInRange(S5, xx, S4), xx, S3), xx, S2),
    xx,
    S1,
  );
  return a + fmaInRange(fmaInRange(p, a, -0.5 * da), xx, da);
}

/** sin(x + dx) for |x| <= 0.855 and |dx| tiny, as glibc's `do_sin`. */
function sinOfSplit(x: number, dx: number): number {
  if (Math.abs(x) < 0.126) return taylorSin(x, dx);
  const ax = Math.abs(x);
  const d = x <= 0 ? -dx : dx;
  const xi = (ax + ROUND_128TH) - ROUND_128TH;
  const i = xi * 128;
  const r = ax - xi;
  const rr = r * r;
  const s = r + fmaInRange(r * rr, fmaInRange(rr, SN5, SN3), d);
  const c = fmaInRange(
    r,
    d,
    rr * fmaInRange(rr, fmaInRange(rr, CS6, CS4), CS2),
  );
  const cor = fmaInRange(
    COS_HI[i],
    s,
    fmaInRange(-SIN_HI[i], c, fmaInRange(s, COS_LO[i], SIN_LO[i])),
  );
  const result = SIN_HI[i] + cor;
  return x < 0 ? -result : result;
}

/** cos(x + dx) for |x| <= 0.855 and |dx| tiny, as glibc's `do_cos`. */
function cosOfSplit(x: number, dx: number): number {
  const ax = Math.abs(x);
  const d = x < 0 ? -dx : dx;
  const xi = (ax + ROUND_128TH) - ROUND_128TH;
  const i = xi * 128;
  const r = ax - xi + d;
  const rr = r * r;
  const s = fmaInRange(r * rr, fmaInRange(rr, SN5, SN3), r);
  const c = rr * fmaInRange(rr, fmaInRange(rr, CS6, CS4), CS2);
  const cor = fmaInRange(
    -SIN_HI[i],
    s,
    fmaInRange(-COS_HI[i], c, fmaInRange(-s, SIN_LO[i], COS_LO[i])),
  );
  return COS_HI[i] + cor;
}

// The remainder of the last reduceMedium, read straight after the call.
let reducedHigh = 0;
let reducedLow = 0;

/**
 * x = n pi/2 + (a + da) for |x| < 105414350, as glibc's `reduce_sincos`:
 * returns n mod 4 and leaves a + da in reducedHigh and reducedLow. The
 * products by the first three parts of pi/2 are exact (n has at most 26
 * bits, those parts at most 27), so only the last is fused.
 */
function reduceMedium(x: number): number {
  const n = fmaInRange(x, TWO_OVER_PI, ROUND_INTEGER) - ROUND_INTEGER;
  const y = (x - n * MP1) - n * MP2;
  const t1 = n * PP3;
  const t2 = y - t1;
  let low = (y - t2) - t1;
  reducedHigh = fmaInRange(-n, PP4, t2);
  low += fmaInRange(-n, PP4, t2 - reducedHigh);
  reducedLow = low;
  return n & 3;
}

/** sin(a + da + n pi/2) for |a + da| <= pi/4, as glibc's `do_sincos`. */
function ofQuadrant(n: number, a: number, da: number): number {
  const result = n & 1 ? cosOfSplit(a, da) : sinOfSplit(a, da);
  return n & 2 ? -result : result;
}

/**
 * `sin(x)`, bit for bit as glibc 2.36's FMA build computes it: NaN for an
 * infinity or a NaN.
 */
export function sinLikeGlibc(x: number): number {
  const high = highWord(x) & 0x7fffffff;
  if (high < HIGH_2_M26) return x;
  if (high < HIGH_DIRECT) return sinOfSplit(x, 0);
  if (high < HIGH_NEAR_HALF_PI) {
    const result = cosOfSplit(HALF_PI_HI - Math.abs(x), HALF_PI_LO);
    return x < 0 ? -result : result;
  }
  if (high < HIGH_MEDIUM) {
    const n = reduceMedium(x);
    return ofQuadrant(n, reducedHigh, reducedLow);
  }
  if (high < HIGH_INFINITY) {
    const n = hugeReduce(x);
    return ofQuadrant(n, hugeReduceHigh, hugeReduceLow);
  }
  return x - x;
}

/**
 * `cos(x)`, bit for bit as glibc 2.36's FMA build computes it: NaN for an
 * infinity or a NaN.
 */
export function cosLikeGlibc(x: number): number {
  const high = highWord(x) & 0x7fffffff;
  if (high < HIGH_2_M27) return 1;
  if (high < HIGH_DIRECT) return cosOfSplit(x, 0);
  if (high < HIGH_NEAR_HALF_PI) {
    const y = HALF_PI_HI - Math.abs(x);
    const a = y + HALF_PI_LO;
    return sinOfSplit(a, (y - a) + HALF_PI_LO);
  }
  if (high < HIGH_MEDIUM) {
    const n = reduceMedium(x);
    return ofQuadrant(n + 1, reducedHigh, reducedLow);
  }
  if (high < HIGH_INFINITY) {
    const n = hugeReduce(x);
    return ofQuadrant(n + 1, hugeReduceHigh, hugeReduceLow);
  }
  return x - x;
}
