/**
 * `erf` and `erfc` as glibc 2.36 computes them, so that the replies match
 * CPython's (which calls the C library) bit for bit.
 *
 * The method is Sun's fdlibm one, with glibc's grouping of the polynomials
 * into pairs of terms for pipelined processors; every floating-point
 * operation below happens in glibc's order, since the order decides the
 * last bit. The domain splits by the high 32 bits of |x|:
 *
 * - |x| < 0.84375: erf(x) = x + x * R(x²), R a rational function;
 * - 0.84375 <= |x| < 1.25: erf(x) = ±(c + P(s) / Q(s)) with s = |x| - 1
 *   and c = erf(1) rounded to 24 bits;
 * - 1.25 <= |x| < 28: erfc(|x|) = exp(-z² - 0.5625) * exp((z - |x|)(z + |x|)
 *   + R(1/x²) / S(1/x²)) / |x|, where z is |x| with its low 32 bits cleared
 *   (so z² is exact), one rational function below 1/0.35 and another above;
 * - beyond, erf(x) = ±1 and erfc(x) = 0 or 2.
 *
 * The two `exp` calls use `expLikeGlibc`, glibc's own `exp` bit for bit,
 * rare misroundings included.
 *
 * @example
 * ```ts
 * import { erf, erfc } from "./float_erf.ts";
 *
 * erf(1); // 0.8427007929497149
 * erfc(10); // 2.088487583762545e-45
 * ```
 *
 * @module
 */

import { expLikeGlibc } from "./float_like_glibc_exp.ts";
import { highWord, withHighWord } from "./float_like_glibc_words.ts";

// erf(1) rounded to single precision.
const ERX = 8.45062911510467529297e-01;
// 2/sqrt(pi) - 1, for tiny |x|.
const EFX = 1.28379167095512586316e-01;
const EFX16 = 16 * EFX;

// erf on [0, 0.84375]: numerator and denominator coefficients in x².
const PP0 = 1.28379167095512558561e-01;
const PP1 = -3.25042107247001499370e-01;
const PP2 = -2.84817495755985104766e-02;
const PP3 = -5.77027029648944159157e-03;
const PP4 = -2.37630166566501626084e-05;
const QQ1 = 3.97917223959155352819e-01;
const QQ2 = 6.50222499887672944485e-02;
const QQ3 = 5.08130628187576562776e-03;
const QQ4 = 1.32494738004321644526e-04;
const QQ5 = -3.96022827877536812320e-06;

// erf on [0.84375, 1.25]: in s = |x| - 1.
const PA0 = -2.36211856075265944077e-03;
const PA1 = 4.14856118683748331666e-01;
const PA2 = -3.72207876035701323847e-01;
const PA3 = 3.18346619901161753674e-01;
const PA4 = -1.10894694282396677476e-01;
const PA5 = 3.54783043256182359371e-02;
const PA6 = -2.16637559486879084300e-03;
const QA1 = 1.06420880400844228286e-01;
const QA2 = 5.40397917702171048937e-01;
const QA3 = 7.18286544141962662868e-02;
const QA4 = 1.26171219808761642112e-01;
const QA5 = 1.36370839120290507362e-02;
const QA6 = 1.19844998467991074170e-02;

// erfc on [1.25, 1/0.35]: in 1/x².
const RA0 = -9.86494403484714822705e-03;
const RA1 = -6.93858572707181764372e-01;
const RA2 = -1.05586262253232909814e+01;
const RA3 = -6.23753324503260060396e+01;
const RA4 = -1.62396669462573470355e+02;
const RA5 = -1.84605092906711035994e+02;
const RA6 = -8.12874355063065934246e+01;
const RA7 = -9.81432934416914548592e+00;
const SA1 = 1.96512716674392571292e+01;
const SA2 = 1.37657754143519042600e+02;
const SA3 = 4.34565877475229228821e+02;
const SA4 = 6.45387271733267880336e+02;
const SA5 = 4.29008140027567833386e+02;
const SA6 = 1.08635005541779435134e+02;
const SA7 = 6.57024977031928170135e+00;
const SA8 = -6.04244152148580987438e-02;

// erfc on [1/0.35, 28]: in 1/x².
const RB0 = -9.86494292470009928597e-03;
const RB1 = -7.99283237680523006574e-01;
const RB2 = -1.77579549177547519889e+01;
const RB3 = -1.60636384855821916062e+02;
const RB4 = -6.37566443368389627722e+02;
const RB5 = -1.02509513161107724954e+03;
const RB6 = -4.83519191608651397019e+02;
const SB1 = 3.03380607434824582924e+01;
const SB2 = 3.25792512996573918826e+02;
const SB3 = 1.53672958608443695994e+03;
const SB4 = 3.19985821950859553908e+03;
const SB5 = 2.55305040643316442583e+03;
const SB6 = 4.74528541206955367215e+02;
const SB7 = -2.24409524465858183362e+01;

// Interval edges as high words of |x|, as glibc compares them.
const TINY_ERF = 0x3e300000; // 2 ** -28
const TINY_ERFC = 0x3c700000; // 2 ** -56
const UNDERFLOW_RISK = 0x00800000; // 2 ** -1015
const QUARTER = 0x3fd00000;
const SMALL = 0x3feb0000; // 0.84375
const NEAR_ONE = 0x3ff40000; // 1.25
// 1/0.35; glibc's erf and erfc draw this edge one high word apart.
const MIDDLE_ERF = 0x4006db6e;
const MIDDLE_ERFC = 0x4006db6d;
const SIX = 0x40180000;
const TWENTY_EIGHT = 0x403c0000;
const NOT_FINITE = 0x7ff00000;

/** R(z) = (erf(x) - x) / x for z = x², |x| < 0.84375. */
function smallRatio(z: number): number {
  const r1 = PP0 + z * PP1;
  const z2 = z * z;
  const r2 = PP2 + z * PP3;
  const z4 = z2 * z2;
  const s1 = 1 + z * QQ1;
  const s2 = QQ2 + z * QQ3;
  const s3 = QQ4 + z * QQ5;
  const r = r1 + z2 * r2 + z4 * PP4;
  const s = s1 + z2 * s2 + z4 * s3;
  return r / s;
}

/** erf(1 + s) - ERX for 0.84375 <= 1 + s < 1.25. */
function nearOneRatio(s: number): number {
  const p1 = PA0 + s * PA1;
  const s2 = s * s;
  const q1 = 1 + s * QA1;
  const s4 = s2 * s2;
  const p2 = PA2 + s * PA3;
  const s6 = s4 * s2;
  const q2 = QA2 + s * QA3;
  const p3 = PA4 + s * PA5;
  const q3 = QA4 + s * QA5;
  const p = p1 + s2 * p2 + s4 * p3 + s6 * PA6;
  const q = q1 + s2 * q2 + s4 * q3 + s6 * QA6;
  return p / q;
}

/** log(x erfc(x)) + x² + 0.5625 for s = 1/x², 1.25 <= x < 1/0.35. */
function middleRatio(s: number): number {
  const r1 = RA0 + s * RA1;
  const s2 = s * s;
  const t1 = 1 + s * SA1;
  const s4 = s2 * s2;
  const r2 = RA2 + s * RA3;
  const s6 = s4 * s2;
  const t2 = SA2 + s * SA3;
  const s8 = s4 * s4;
  const r3 = RA4 + s * RA5;
  const t3 = SA4 + s * SA5;
  const r4 = RA6 + s * RA7;
  const t4 = SA6 + s * SA7;
  const r = r1 + s2 * r2 + s4 * r3 + s6 * r4;
  const t = t1 + s2 * t2 + s4 * t3 + s6 * t4 + s8 * SA8;
  return r / t;
}

/** log(x erfc(x)) + x² + 0.5625 for s = 1/x², 1/0.35 <= x < 28. */
function farRatio(s: number): number {
  const r1 = RB0 + s * RB1;
  const s2 = s * s;
  const t1 = 1 + s * SB1;
  const s4 = s2 * s2;
  const r2 = RB2 + s * RB3;
  const s6 = s4 * s2;
  const t2 = SB2 + s * SB3;
  const r3 = RB4 + s * RB5;
  const t3 = SB4 + s * SB5;
  const t4 = SB6 + s * SB7;
  const r = r1 + s2 * r2 + s4 * r3 + s6 * RB6;
  const t = t1 + s2 * t2 + s4 * t3 + s6 * t4;
  return r / t;
}

/**
 * x erfc(x) for 1.25 <= x < 28, by the middle or the far rational
 * function; the exponent splits so that the large part -z² is exact.
 */
function scaledTail(x: number, middle: boolean): number {
  const s = 1 / (x * x);
  const ratio = middle ? middleRatio(s) : farRatio(s);
  // x with its low 32 bits cleared, so that z * z is exact.
  const z = withHighWord(0, highWord(x));
  return expLikeGlibc(-z * z - 0.5625) *
    expLikeGlibc((z - x) * (z + x) + ratio);
}

/** The error function, as `math.erf` (glibc's `erf`). */
export function erf(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= NOT_FINITE) return Number.isNaN(x) ? x : hx >= 0 ? 1 : -1;
  if (ix < SMALL) {
    if (ix >= TINY_ERF) return x + x * smallRatio(x * x);
    // Scaled up first so that efx * x loses no bits to underflow.
    if (ix < UNDERFLOW_RISK) return 0.0625 * (16 * x + EFX16 * x);
    return x + EFX * x;
  }
  if (ix < NEAR_ONE) {
    const ratio = nearOneRatio(Math.abs(x) - 1);
    return hx >= 0 ? ERX + ratio : -ERX - ratio;
  }
  if (ix >= SIX) return hx >= 0 ? 1 : -1;
  const a = Math.abs(x);
  const r = scaledTail(a, ix < MIDDLE_ERF);
  return hx >= 0 ? 1 - r / a : r / a - 1;
}

/** The complementary error function, as `math.erfc` (glibc's `erfc`). */
export function erfc(x: number): number {
  const hx = highWord(x);
  const ix = hx & 0x7fffffff;
  if (ix >= NOT_FINITE) return Number.isNaN(x) ? x : hx >= 0 ? 0 : 2;
  if (ix < SMALL) {
    if (ix < TINY_ERFC) return 1 - x;
    const y = smallRatio(x * x);
    // hx is signed, so every negative x takes the first form.
    if (hx < QUARTER) return 1 - (x + x * y);
    const r = x * y + (x - 0.5);
    return 0.5 - r;
  }
  if (ix < NEAR_ONE) {
    const ratio = nearOneRatio(Math.abs(x) - 1);
    return hx >= 0 ? (1 - ERX) - ratio : 1 + (ERX + ratio);
  }
  if (ix >= TWENTY_EIGHT || (hx < 0 && ix >= SIX)) return hx >= 0 ? 0 : 2;
  const a = Math.abs(x);
  const r = scaledTail(a, ix < MIDDLE_ERFC);
  return hx >= 0 ? r / a : 2 - r / a;
}
