/**
 * `log1p` as glibc 2.36 computes it for doubles: the method of Sun's
 * fdlibm (s_log1p.c), within one ulp but not always correctly rounded.
 * 1 + x = 2 ** k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), c the
 * rounding error of 1 + x, s = f / (2 + f), and log(1 + f) from fdlibm's
 * polynomial R in s ** 2 (coefficients Lp1 to Lp7, in three parts as
 * glibc writes it): f - (f ** 2 / 2 - s (f ** 2 / 2 + R)).
 *
 * On x86-64 glibc runs a build compiled for the FMA instruction, and `fma`
 * stands here where its compiler fused a product with the following sum;
 * those places were found by comparing with CPython (for instance, the
 * first sum of R fuses z * Lp1, not z ** 2 times the rest, and
 * s (f ** 2 / 2 + R) is rounded on its own). Followed operation for
 * operation, the results agree bit for bit.
 *
 * @module
 */

import { fma } from "./float_fma.ts";
import { highWord, withHighWord } from "./float_like_glibc_words.ts";

// ln 2 in two parts: k * LN2_HI is exact for the k met here.
const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const LP1 = 6.666666666666735130e-01;
const LP2 = 3.999999999940941908e-01;
const LP3 = 2.857142874366239149e-01;
const LP4 = 2.222219843214978396e-01;
const LP5 = 1.818357216161805012e-01;
const LP6 = 1.531383769920937332e-01;
const LP7 = 1.479819860511658591e-01;

/** `log(1 + x)`, bit for bit as glibc computes it. */
export function log1pLikeGlibc(x: number): number {
  const hx = highWord(x);
  const ax = hx & 0x7fffffff;

  // Where 1 + x needs no reduction, f is x itself and k is 0.
  let reduce = true;
  if (hx < 0x3fda827a) {
    // x < 0.41422, negative x included (hx is signed).
    if (ax >= 0x3ff00000) return x === -1 ? -Infinity : NaN;
    if (ax < 0x3e200000) {
      // |x| < 2 ** -29
      if (ax < 0x3c900000) return x;
      return x - x * x * 0.5;
    }
    // -0.2929 < x < 0.41422
    if (hx > 0 || hx <= (0xbfd2bec3 | 0)) reduce = false;
  } else if (hx >= 0x7ff00000) {
    return x + x;
  }
  if (!reduce) return logOfOnePlus(x, 0, 0, 1);
  return reduceThenLog(x, hx);
}

/** log1p for the x that need 1 + x reduced to 2 ** k (1 + f). */
function reduceThenLog(x: number, hx: number): number {
  let u: number;
  let k: number;
  let c: number;
  if (hx < 0x43400000) {
    u = 1 + x;
    k = (highWord(u) >> 20) - 1023;
    // The rounding error of 1 + x, relative to u.
    c = k > 0 ? 1 - (u - x) : x - (u - 1);
    c /= u;
  } else {
    u = x;
    k = (highWord(u) >> 20) - 1023;
    c = 0;
  }
  let hu = highWord(u) & 0x000fffff;
  if (hu < 0x6a09e) {
    u = withHighWord(u, hu | 0x3ff00000);
  } else {
    k += 1;
    u = withHighWord(u, hu | 0x3fe00000);
    hu = (0x00100000 - hu) >> 2;
  }
  return logOfOnePlus(u - 1, k, c, hu);
}

/**
 * k ln 2 + c + log(1 + f) in fdlibm's order; `hu` is 0 exactly when
 * |f| < 2 ** -20, where a short series does.
 */
function logOfOnePlus(f: number, k: number, c: number, hu: number): number {
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    if (f === 0) {
      if (k === 0) return 0;
      c = fma(k, LN2_LO, c);
      return k * LN2_HI + c;
    }
    const r = hfsq * fma(-0.66666666666666666, f, 1);
    if (k === 0) return f - r;
    return k * LN2_HI - ((r - fma(k, LN2_LO, c)) - f);
  }

  const s = f / (2 + f);
  const z = s * s;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  // The build fused z * LP1, not z2 times the rest, into the first sum.
  let r = fma(z, LP1, z2 * fma(z, LP3, LP2));
  r = fma(z4, fma(z, LP5, LP4), r);
  r = fma(z6, fma(z, LP7, LP6), r);
  // Here the build kept s * (hfsq + r) rounded on its own.
  const sr = s * (hfsq + r);
  if (k === 0) return f - (hfsq - sr);
  return k * LN2_HI - ((hfsq - (sr + fma(k, LN2_LO, c))) - f);
}
