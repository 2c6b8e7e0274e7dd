/**
 * The special functions JavaScript lacks, `gamma` and `lgamma`, with
 * CPython's special values and errors; and the errors the float functions
 * share.
 *
 * Gamma and its logarithm follow CPython's own method, Lanczos'
 * approximation with the published 13-term coefficients for g = 6.0247
 * (Boost's choice), so results agree with CPython's to the last bit or
 * nearly. `erf` and `erfc` are in `float_erf.ts`.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { copysign } from "./math_bits.ts";
import { expLikeGlibc } from "./float_like_glibc_exp.ts";
import { powLikeGlibc } from "./float_like_glibc_pow.ts";
import { cosLikeGlibc, sinLikeGlibc } from "./float_like_glibc_sin.ts";
import { PyException } from "./py_value.ts";

/** CPython's `ValueError: math domain error`. */
export function domainError(): PyException {
  return makePyException("ValueError", "math domain error");
}

/** CPython's `OverflowError: math range error`. */
export function rangeError(): PyException {
  return makePyException("OverflowError", "math range error");
}

const LOG_PI = 1.1447298858494002;

const LANCZOS_G = 6.024680040776729583740234375;
const LANCZOS_G_MINUS_HALF = 5.524680040776729583740234375;
const LANCZOS_NUMERATOR = [
  23531376880.410759688572007674451636754734846804940,
  42919803642.649098768957899047001988850926355848959,
  35711959237.355668049440185451547166705960488635843,
  17921034426.037209699919755754458931112671403265390,
  6039542586.3520280050642916443072979210699388420708,
  1439720407.3117216736632230727949123939715485786772,
  248874557.86205415651146038641322942321632125127801,
  31426415.585400194380614231628318205362874684987640,
  2876370.6289353724412254090516208496135991145378768,
  186056.26539522349504029498971604569928220784236328,
  8071.6720023658162106380029022722506138218516325024,
  210.82427775157934587250973392071336271166969580291,
  2.5066282746310002701649081771338373386264310793408,
];
// The coefficients of x * (x + 1) * ... * (x + 11).
const LANCZOS_DENOMINATOR = [
  0,
  39916800,
  120543840,
  150917976,
  105258076,
  45995730,
  13339535,
  2637558,
  357423,
  32670,
  1925,
  66,
  1,
];

/** (n - 1)! for n = 1 to 23: the exact gammas of small positive integers. */
const GAMMA_OF_INTEGERS = Array.from({ length: 23 }, (_, n) => {
  let f = 1n;
  for (let k = 2n; k <= BigInt(n); k++) f *= k;
  return Number(f);
});

/** The Lanczos rational function, in 1/x for large x to avoid overflow. */
function lanczosSum(x: number): number {
  let num = 0;
  let den = 0;
  if (x < 5) {
    for (let i = LANCZOS_NUMERATOR.length - 1; i >= 0; i--) {
      num = num * x + LANCZOS_NUMERATOR[i];
      den = den * x + LANCZOS_DENOMINATOR[i];
    }
  } else {
    for (let i = 0; i < LANCZOS_NUMERATOR.length; i++) {
      num = num / x + LANCZOS_NUMERATOR[i];
      den = den / x + LANCZOS_DENOMINATOR[i];
    }
  }
  return num / den;
}

/** sin(pi * x) for finite x, exact at integers and half-integers. */
function sinPi(x: number): number {
  const y = Math.abs(x) % 2;
  // Math.round rounds halves up, which for 2 * y >= 0 is C's round().
  const octant = Math.round(2 * y);
  let r: number;
  switch (octant) {
    case 0:
      r = sinLikeGlibc(Math.PI * y);
      break;
    case 1:
      r = cosLikeGlibc(Math.PI * (y - 0.5));
      break;
    case 2:
      // Not -sin(pi * (y - 1)), which would give -0.0 at y == 1.
      r = sinLikeGlibc(Math.PI * (1 - y));
      break;
    case 3:
      r = -cosLikeGlibc(Math.PI * (y - 1.5));
      break;
    default:
      r = sinLikeGlibc(Math.PI * (y - 2));
  }
  return copysign(1, x) * r;
}

/** The gamma function, as `math.gamma`, with CPython's errors. */
export function gamma(x: number): number {
  if (!Number.isFinite(x)) {
    if (Number.isNaN(x) || x > 0) return x;
    throw domainError();
  }
  if (x === 0) throw domainError();
  if (x === Math.floor(x)) {
    if (x < 0) throw domainError();
    if (x <= GAMMA_OF_INTEGERS.length) return GAMMA_OF_INTEGERS[x - 1];
  }
  const a = Math.abs(x);
  if (a < 1e-20) {
    const r = 1 / x;
    if (!Number.isFinite(r)) throw rangeError();
    return r;
  }
  if (a > 200) {
    if (x < 0) return 0 / sinPi(x);
    throw rangeError();
  }
  const r = x < 0 ? gammaOfNegative(a) : gammaOfPositive(a);
  if (!Number.isFinite(r)) throw rangeError();
  return r;
}

/**
 * The rounding error of y = a + (g - 1/2), scaled as the Lanczos formula
 * needs it, so the result can be corrected for it.
 */
function lanczosCorrection(a: number, y: number): number {
  let z: number;
  if (a > LANCZOS_G_MINUS_HALF) z = y - a - LANCZOS_G_MINUS_HALF;
  else z = y - LANCZOS_G_MINUS_HALF - a;
  return z * LANCZOS_G / y;
}

function gammaOfPositive(a: number): number {
  const y = a + LANCZOS_G_MINUS_HALF;
  let r = lanczosSum(a) / expLikeGlibc(y);
  r += lanczosCorrection(a, y) * r;
  if (a < 140) return r * powLikeGlibc(y, a - 0.5);
  // Two half powers, since y ** (a - 0.5) alone would overflow.
  const half = powLikeGlibc(y, a / 2 - 0.25);
  return r * half * half;
}

/** gamma(-a) for a > 0 by the reflection formula. */
function gammaOfNegative(a: number): number {
  const y = a + LANCZOS_G_MINUS_HALF;
  let r = -Math.PI / sinPi(a) / a * expLikeGlibc(y) / lanczosSum(a);
  r -= lanczosCorrection(a, y) * r;
  if (a < 140) return r / powLikeGlibc(y, a - 0.5);
  const half = powLikeGlibc(y, a / 2 - 0.25);
  return r / half / half;
}

/**
 * The natural logarithm of |gamma(x)|, as `math.lgamma`, with CPython's
 * errors.
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x === Math.floor(x) && x <= 2) {
    if (x <= 0) throw domainError();
    return 0;
  }
  const a = Math.abs(x);
  if (a < 1e-20) return -Math.log(a);
  let r = Math.log(lanczosSum(a)) - LANCZOS_G;
  r += (a - 0.5) * (Math.log(a + LANCZOS_G - 0.5) - 1);
  if (x < 0) r = LOG_PI - Math.log(Math.abs(sinPi(a))) - Math.log(a) - r;
  if (!Number.isFinite(r)) throw rangeError();
  return r;
}
