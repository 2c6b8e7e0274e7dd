/**
 * `expm1`, `sinh` and `cosh` as glibc 2.36 computes them for doubles: the
 * methods of Sun's fdlibm (s_expm1.c, e_sinh.c, e_cosh.c), whose results
 * are within one ulp but not always correctly rounded. They are followed
 * here operation for operation, in glibc's order, so the results agree
 * bit for bit.
 *
 * On x86-64 glibc runs an `expm1` compiled for the FMA instruction: the
 * compiler fused most products with the sum that follows, and `fma` does
 * the same at the same places, found by comparing with CPython. glibc
 * evaluates the polynomial in three parts, not by Horner's rule.
 *
 * Where fdlibm calls `exp` (sinh and cosh of |x| above 22, cosh above
 * ln(2)/2), glibc's own `exp` is followed too (`float_like_glibc_exp.ts`).
 *
 * @module
 */

import { fma } from "./float_fma.ts";
import { expLikeGlibc } from "./float_like_glibc_exp.ts";
import { highWord, lowWord, withHighWord } from "./float_like_glibc_words.ts";

const O_THRESHOLD = 7.09782712893383973096e+02;
// ln 2 in two parts: k * LN2_HI is exact for the k met here.
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+00;
// fdlibm's scaled coefficients of its rational approximation of expm1.
const Q1 = -3.33333333333331316428e-02;
const Q2 = 1.58730158725481460165e-03;
const Q3 = -7.93650757867487942473e-05;
const Q4 = 4.00821782732936239552e-06;
const Q5 = -2.01099218183624371326e-07;

/** `exp(x) - 1`, bit for bit as glibc computes it. */
export function expm1LikeGlibc(x: number): number {
  const word = highWord(x);
  const negative = word < 0;
  const hx = word & 0x7fffffff;

  if (hx >= 0x4043687a) {
    // |x| >= 56 ln 2: overflow, infinities and NaN, or -1 below.
    if (hx >= 0x40862e42) {
      if (hx >= 0x7ff00000) return Number.isNaN(x) ? x + x : negative ? -1 : x;
      if (x > O_THRESHOLD) return Infinity;
    }
    if (negative) return -1;
  }

  // Reduction: x = k ln2 + (hi - lo), with c the rounding error of hi - lo.
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    let hi: number;
    let lo: number;
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      // C's conversion to int truncates toward zero.
      k = Math.trunc(fma(INV_LN2, x, negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
    c = (hi - x) - lo;
  } else if (hx < 0x3c900000) {
    return x;
  }

  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const h2 = hxs * hxs;
  const h4 = h2 * h2;
  const r1Part = fma(hxs, Q1, 1);
  const r2Part = fma(hxs, Q3, Q2);
  const r3Part = fma(hxs, Q5, Q4);
  const r1 = fma(h4, r3Part, fma(h2, r2Part, r1Part));
  const t = fma(-r1, hfx, 3);
  let e = hxs * ((r1 - t) / fma(-x, t, 6));
  if (k === 0) return x - fma(x, e, -hxs);

  e = fma(x, e - c, -c);
  e -= hxs;
  return scaleBack(x, e, k);
}

/** fdlibm's last step of expm1: 2 ** k (1 + x - e) - 1 for k not 0. */
function scaleBack(x: number, e: number, k: number): number {
  if (k === -1) return 0.5 * (x - e) - 0.5;
  if (k === 1) {
    if (x < -0.25) return -2 * (e - (x + 0.5));
    return 1 + 2 * (x - e);
  }
  if (k <= -2 || k > 56) {
    let y = 1 - (e - x);
    if (k === 1024) y = y * 2 * 2 ** 1023;
    else y = addToExponent(y, k);
    return y - 1;
  }
  let y: number;
  if (k < 20) {
    // 1 - 2 ** -k
    const t = withHighWord(1, 0x3ff00000 - (0x200000 >> k));
    y = t - (e - x);
  } else {
    // 2 ** -k
    const t = withHighWord(1, (0x3ff - k) << 20);
    y = x - (e + t);
    y += 1;
  }
  return addToExponent(y, k);
}

/** `y * 2 ** k` by adding to the exponent field, as fdlibm does. */
function addToExponent(y: number, k: number): number {
  return withHighWord(y, highWord(y) + (k << 20));
}

/** `sinh(x)` as glibc computes it, on our `exp` (see the limitation). */
export function sinhLikeGlibc(x: number): number {
  const word = highWord(x);
  const ix = word & 0x7fffffff;
  if (ix >= 0x7ff00000) return x + x;
  const h = word < 0 ? -0.5 : 0.5;

  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3e300000) return x;
    const t = expm1LikeGlibc(Math.abs(x));
    if (ix < 0x3ff00000) return h * (2 * t - t * t / (t + 1));
    return h * (t + t / (t + 1));
  }
  if (ix < 0x40862e42) return h * expLikeGlibc(Math.abs(x));
  if (belowOverflow(x, ix)) {
    // exp(|x|) alone would overflow: halve the argument and square.
    const w = expLikeGlibc(0.5 * Math.abs(x));
    const t = h * w;
    return t * w;
  }
  return x * 1e307;
}

/** `cosh(x)` as glibc computes it, on our `exp` (see the limitation). */
export function coshLikeGlibc(x: number): number {
  const ix = highWord(x) & 0x7fffffff;

  if (ix < 0x40360000) {
    // |x| < 22
    if (ix < 0x3fd62e43) {
      if (ix < 0x3c800000) return 1;
      const t = expm1LikeGlibc(Math.abs(x));
      const w = 1 + t;
      return 1 + (t * t) / (w + w);
    }
    const t = expLikeGlibc(Math.abs(x));
    return 0.5 * t + 0.5 / t;
  }
  if (ix < 0x40862e42) return 0.5 * expLikeGlibc(Math.abs(x));
  if (belowOverflow(x, ix)) {
    const w = expLikeGlibc(0.5 * Math.abs(x));
    const t = 0.5 * w;
    return t * w;
  }
  if (ix >= 0x7ff00000) return x * x;
  return Infinity;
}

/** Whether |x| is at most fdlibm's overflow threshold of sinh and cosh. */
function belowOverflow(x: number, ix: number): boolean {
  return ix < 0x408633ce || (ix === 0x408633ce && lowWord(x) <= 0x8fb9f87d);
}
