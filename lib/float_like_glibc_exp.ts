/**
 * `exp` and `exp2` as glibc 2.36 computes them on x86-64, bit for bit,
 * including the rare results that are not correctly rounded.
 *
 * The method is glibc's (from Arm's optimized-routines): x = k/128 * ln2
 * + r (for `exp2`, x = k/128 + r), 2 ** (k/128) from a table of 128
 * doubles each with the relative error of its rounding beside it, and
 * exp(r) - 1 by a degree-5 polynomial, so that the result is scale +
 * scale * tmp with one final rounding. The table is computed here at load
 * time from values of 2 ** (i/128) to 200 bits; it equals glibc's published
 * table entry for entry.
 *
 * The last bit depends on which products the compiler fused into FMA
 * instructions: on a CPU with FMA, glibc runs a build of `exp` compiled
 * for it, where GCC fuses every `a * b + c` whose product feeds only
 * additions in the same basic block; its `exp2` has no such build. So
 * `exp` here fuses exactly where GCC did, and `exp2` nowhere. Against
 * CPython 3.11 on glibc 2.36 with FMA the replies were identical on 1.2
 * million random inputs per function. Fusing the last step of `exp`
 * differently, or either side of its careful scaling, or any step of
 * `exp2`, showed differences within the first 200,000; unfusing the
 * polynomial of `exp` showed some within 10 million. Whether the argument
 * reduction is fused showed in none of 10 million; it is fused as GCC
 * compiles it.
 *
 * @example
 * ```ts
 * import { exp2LikeGlibc, expLikeGlibc } from "./float_like_glibc_exp.ts";
 *
 * expLikeGlibc(1); // 2.718281828459045
 * exp2LikeGlibc(0.5); // 1.4142135623730951
 * ```
 *
 * @module
 */

import { expFixed, ln2Fixed } from "./float_exact_big.ts";
import { decompose, hexToFloat } from "./float_exact_bits.ts";
import { POW2, roundsSurely, twoProdLow, twoSumLow } from "./float_exact_dd.ts";
import { fma, fmaInRange } from "./float_fma.ts";
import { highWord } from "./float_like_glibc_words.ts";

/** 2 ** (i/128) rounded, for i from 0 to 127. */
const SCALE = new Float64Array(128);
/** The relative error of `SCALE[i]`: 2 ** (i/128) = SCALE[i] (1 + TAIL[i]). */
const TAIL = new Float64Array(128);

const TABLE_BITS = 200;
for (let i = 0; i < 128; i++) {
  const [m, e] = expFixed((BigInt(i) * ln2Fixed(TABLE_BITS)) >> 7n, TABLE_BITS);
  // m has over 200 bits, so Number rounds it once and the scaling is exact.
  const scale = Number(m) * POW2(e);
  const [sm, se] = decompose(scale);
  const denominator = sm << BigInt(se - e);
  const quotient = ((m - denominator) << 160n) / denominator;
  SCALE[i] = scale;
  TAIL[i] = Number(quotient) * POW2(-160);
}

// glibc's constants: N/ln2, and -ln2/N in two parts, N = 128.
const INV_LN2_N = hexToFloat("0x1.71547652b82fep+0") * 128;
const NEG_LN2_HI_N = hexToFloat("-0x1.62e42fefa0000p-8");
const NEG_LN2_LO_N = hexToFloat("-0x1.cf79abc9e3b3ap-47");
const SHIFT = hexToFloat("0x1.8p+52");
const EXP2_SHIFT = SHIFT / 128;
const NOT_NEAR_HALF = 0.5 - 2 ** -30;

// exp(r) - 1 = r + C2 r² + ... + C5 r⁵ on |r| <= ln2/256.
const C2 = hexToFloat("0x1.ffffffffffdbdp-2");
const C3 = hexToFloat("0x1.555555555543cp-3");
const C4 = hexToFloat("0x1.55555cf172b91p-5");
const C5 = hexToFloat("0x1.1111167a4d017p-7");

// 2 ** r - 1 = B1 r + ... + B5 r⁵ on |r| <= 1/256.
const B1 = hexToFloat("0x1.62e42fefa39efp-1");
const B2 = hexToFloat("0x1.ebfbdff82c424p-3");
const B3 = hexToFloat("0x1.c6b08d70cf4b5p-5");
const B4 = hexToFloat("0x1.3b2abd24650ccp-7");
const B5 = hexToFloat("0x1.5d7e09b4e3a84p-10");

// Biased exponents (C's top12 of |x|) of 2 ** -54, 512 and 1024.
const TOP_TINY = 0x3c9;
const TOP_512 = 0x408;
const TOP_1024 = 0x409;

/** The biased exponent of `x`, as glibc's `top12(x) & 0x7ff`. */
function biasedExponent(x: number): number {
  return (highWord(x) >>> 20) & 0x7ff;
}

/**
 * The nearest integer to x * INV_LN2_N, as glibc's fused
 * `x * InvLn2N + Shift` rounds it (one rounding). For |x| below 1024 the
 * product's rounding error is at most 2 ** -36, so the unfused sum gives
 * the same integer unless the product's fraction lies next to 1/2.
 */
function nearestStep(x: number): number {
  const z = INV_LN2_N * x;
  const k = (z + SHIFT) - SHIFT;
  if (Math.abs(z - k) < NOT_NEAR_HALF) return k;
  return fma(INV_LN2_N, x, SHIFT) - SHIFT;
}

/**
 * x - k ln2/128 as glibc's two fused steps compute it. k * NEG_LN2_HI_N
 * is exact for |k| below 2 ** 17 (the high part has 36 significant bits),
 * so the first step needs no fusing there.
 */
function reduce(x: number, k: number): number {
  const high = Math.abs(k) < 2 ** 17
    ? x + k * NEG_LN2_HI_N
    : fmaInRange(k, NEG_LN2_HI_N, x);
  return fmaInRange(k, NEG_LN2_LO_N, high);
}

/**
 * The result of scale + scale * tmp when it may overflow or be subnormal,
 * as glibc's `specialcase`: scale taken nearer 1, then scaled back. For
 * `exp2`, `twoPower` tells its smaller shift on the overflow side; there
 * `exp` fuses and `exp2` does not. The underflow side is unfused in both,
 * since there glibc reuses the product in a later block.
 */
function nearLimits(tmp: number, k: number, twoPower: boolean): number {
  const table = SCALE[k & 127];
  const exponent = k >> 7;
  if (k > 0) {
    if (twoPower) {
      const scale = table * POW2(exponent - 1);
      return 2 * (scale + scale * tmp);
    }
    const scale = table * POW2(exponent - 1009);
    return POW2(1009) * fmaInRange(scale, tmp, scale);
  }
  const scale = table * POW2(exponent + 1022);
  const product = scale * tmp;
  let y = scale + product;
  if (y < 1) {
    // Round to the subnormal's precision first, against double rounding.
    let lo = scale - y + product;
    const hi = 1 + y;
    lo = 1 - hi + y + lo;
    // An exact zero is +0 here, as glibc makes it.
    y = (hi + lo) - 1 || 0;
  }
  return POW2(-1022) * y;
}

/** `exp(x)`, bit for bit as glibc 2.36's FMA build computes it. */
export function expLikeGlibc(x: number): number {
  return expWithTailLikeGlibc(x, 0);
}

/**
 * exp(x + tail) for a `tail` far below x's last bit (|tail| < 2 ** -15
 * and |tail| <= |x|), as the exponential inside glibc's `pow`: the tail
 * joins the reduced argument, and an x too small to matter gives 1 + x.
 */
export function expWithTailLikeGlibc(x: number, tail: number): number {
  const top = biasedExponent(x);
  const nearLimit = top >= TOP_512;
  if (top < TOP_TINY || nearLimit) {
    if (top < TOP_TINY) return 1 + x;
    if (top >= TOP_1024) {
      if (x === -Infinity) return 0;
      if (Number.isNaN(x) || x === Infinity) return 1 + x;
      return x < 0 ? 0 : Infinity;
    }
  }

  // Every fused operation's operands stay far from overflow and
  // underflow, as fmaInRange needs: r is 0 or above 2 ** -107 (x, k
  // times either part of ln2/128 and so the reduced x are multiples of
  // 2 ** -106, and a tail is far smaller than a nonzero one), and
  // scale * tmp is 0 or above 2 ** -940 (|tmp| is 0 or above 2 ** -200,
  // as glibc's authors note, and scale above 2 ** -740 for |x| < 512).
  const k = nearestStep(x);
  const r = reduce(x, k) + tail;
  const r2 = r * r;
  const tmp = fmaInRange(
    r2 * r2,
    fmaInRange(r, C5, C4),
    fmaInRange(r2, fmaInRange(r, C3, C2), TAIL[k & 127] + r),
  );
  if (nearLimit) return nearLimits(tmp, k, false);
  const scale = SCALE[k & 127] * POW2(k >> 7);
  return fmaInRange(scale, tmp, scale);
}

/**
 * A bound on how far glibc's exponential, computed with or without its
 * fused steps, may lie from exp(x + tail) before its final rounding,
 * relative to the result: below 0.5 + 1.11/128 + 0.25/128 ulp in all,
 * as its authors state, so within 0.0112 ulp, or 2 ** -58.5 of the
 * result, before rounding; taken here with room to spare.
 */
const EVALUATION_ERROR = 2 ** -57.5;

/**
 * exp(x + tail) as {@linkcode expWithTailLikeGlibc} replies, when its
 * unfused twin shows that the reply is certain; NaN when it is in doubt.
 * `slack` bounds, relative to the result, how far the caller's x + tail
 * may lie from the one glibc's fused steps would have passed. Both
 * computations then lie within EVALUATION_ERROR of their own exact
 * exponentials, so when no rounding boundary lies within the sum of
 * those bounds of the unfused value, they round alike. Near overflow
 * and underflow it is always in doubt.
 */
export function expWithTailIfSure(
  x: number,
  tail: number,
  slack: number,
): number {
  const top = biasedExponent(x);
  if (top < TOP_TINY) return 1 + x;
  if (top >= TOP_512) return NaN;
  const k = nearestStep(x);
  const r = (x + k * NEG_LN2_HI_N) + k * NEG_LN2_LO_N + tail;
  const r2 = r * r;
  const tmp = TAIL[k & 127] + r + r2 * (C2 + r * C3) +
    r2 * r2 * (C4 + r * C5);
  const scale = SCALE[k & 127] * POW2(k >> 7);
  const product = scale * tmp;
  const result = scale + product;
  const low = twoSumLow(scale, product, result) +
    twoProdLow(scale, tmp, product);
  const doubt = scale * (slack * 1.01 + 2 * EVALUATION_ERROR);
  return roundsSurely(result, low, doubt) ? result : NaN;
}

/** `2 ** x` as C's `exp2`, bit for bit as glibc 2.36 computes it. */
export function exp2LikeGlibc(x: number): number {
  const top = biasedExponent(x);
  let nearLimit = false;
  if (top < TOP_TINY || top >= TOP_512) {
    if (top < TOP_TINY) return 1 + x;
    if (top >= TOP_1024) {
      if (x === -Infinity) return 0;
      if (Number.isNaN(x) || x === Infinity) return 1 + x;
      if (x > 0) return Infinity;
      if (x <= -1075) return 0;
    }
    nearLimit = Math.abs(x) > 928;
  }

  const kd = (x + EXP2_SHIFT) - EXP2_SHIFT;
  const k = kd * 128;
  const r = x - kd;
  const r2 = r * r;
  const tmp = TAIL[k & 127] + r * B1 + r2 * (B2 + r * B3) +
    r2 * r2 * (B4 + r * B5);
  if (nearLimit) return nearLimits(tmp, k, true);
  const scale = SCALE[k & 127] * POW2(k >> 7);
  return scale + scale * tmp;
}
