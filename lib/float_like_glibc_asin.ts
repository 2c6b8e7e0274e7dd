/**
 * `asin` and `acos` as glibc 2.36 computes them on x86-64.
 *
 * For 1/8 <= |x| < 0.96875 glibc (2.35 and later) evaluates, on the cell of width
 * 1/256 holding |x|, the row's polynomial in xx = |x| - x0 as
 * hi + (c1 xx + (xx² (c2 + xx (c3 + ...)) + lo)), and acos as
 * (pi/2 - hi) + (pi/2's low part - that sum less hi). Its result is not
 * always correctly rounded, so matching CPython means doing the same
 * steps. The build that CPUs with FMA and AVX2 run fuses each product
 * with the sum that follows it; the fused steps give CPython's replies on
 * this machine and the unfused ones do not, so they are fused here.
 * The ranges below and above are in float_like_glibc_asin_outer.ts; at
 * ±1 the replies are pi/2, 0 and pi rounded, and outside [-1, 1] NaN.
 *
 * @example
 * ```ts
 * import { asinLikeGlibc } from "./float_like_glibc_asin.ts";
 *
 * asinLikeGlibc(0.5); // 0.5235987755982989
 * ```
 *
 * @module
 */

import { ASIN_TABLE, ASIN_TABLE_STRIDE } from "./float_asin_table.ts";
import { fmaInRange } from "./float_fma.ts";
import {
  acosNearOne,
  acosSmall,
  asinNearOne,
  asinSmall,
} from "./float_like_glibc_asin_outer.ts";

const MIDDLE_START = 0.125;
const MIDDLE_END = 0.96875;
// Below these glibc returns x for asin and pi/2's high part for acos.
const ASIN_TINY = 2 ** -26;
const ACOS_TINY = 2 ** -55;
// pi/2 split as glibc's hp0 + hp1.
const HALF_PI_HI = 1.5707963267948966;
const HALF_PI_LO = 6.123233995736766e-17;
// Offsets within a row: [x0, hi, lo, c1, ..., cd, zeros].
const HI = 1;
const LO = 2;
const C1 = 3;

// The row's hi for the last |x| given to polynomialTail().
let rowHi = 0;

/** glibc's polynomial degree for |x| = ax in the middle range. */
function degreeAt(ax: number): number {
  if (ax < 0.5) return 6;
  if (ax < 0.75) return 7;
  if (ax < 0.921875) return 8;
  return ax < 0.953125 ? 9 : 10;
}

/**
 * asin(ax) - hi for the cell holding ax, in glibc's order of operations,
 * setting rowHi to that row's hi.
 */
function polynomialTail(ax: number): number {
  // ax - 1/8 is exact, so the cell is the one glibc takes from ax's bits.
  const row = Math.floor((ax - MIDDLE_START) * 256) * ASIN_TABLE_STRIDE;
  const xx = ax - ASIN_TABLE[row];
  const top = row + C1 + degreeAt(ax) - 1;
  let inner = ASIN_TABLE[top];
  for (let i = top - 1; i > row + C1; i--) {
    inner = fmaInRange(xx, inner, ASIN_TABLE[i]);
  }
  const p = fmaInRange(xx * xx, inner, ASIN_TABLE[row + LO]);
  rowHi = ASIN_TABLE[row + HI];
  return fmaInRange(ASIN_TABLE[row + C1], xx, p);
}

/** `asin(x)` as CPython on glibc 2.36, x86-64; NaN outside [-1, 1]. */
export function asinLikeGlibc(x: number): number {
  const ax = Math.abs(x);
  if (ax < ASIN_TINY) return x;
  if (ax < MIDDLE_START) return asinSmall(x);
  if (!(ax < MIDDLE_END)) return asinOuter(x);
  const t = polynomialTail(ax);
  const res = rowHi + t;
  return x < 0 ? -res : res;
}

/** asin(x) for 0.96875 <= |x|: ±pi/2 at ±1, NaN beyond and for NaN. */
function asinOuter(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < 1)) return ax === 1 ? Math.sign(x) * HALF_PI_HI : NaN;
  const res = asinNearOne(ax);
  return x < 0 ? -res : res;
}

/** acos(x) for |x| >= 1: 0 at 1, pi at -1, NaN beyond and for NaN. */
function acosAtOneOrBeyond(x: number): number {
  if (x === 1) return 0;
  return x === -1 ? 2 * HALF_PI_HI : NaN;
}

/** `acos(x)` as CPython on glibc 2.36, x86-64; NaN outside [-1, 1]. */
export function acosLikeGlibc(x: number): number {
  const ax = Math.abs(x);
  if (ax < ACOS_TINY) return HALF_PI_HI;
  if (ax < MIDDLE_START) return acosSmall(x);
  if (!(ax < MIDDLE_END)) {
    return ax < 1 ? acosNearOne(x) : acosAtOneOrBeyond(x);
  }
  const t = polynomialTail(ax);
  if (x > 0) return (HALF_PI_HI - rowHi) + (HALF_PI_LO - t);
  return (HALF_PI_HI + rowHi) + (HALF_PI_LO + t);
}
