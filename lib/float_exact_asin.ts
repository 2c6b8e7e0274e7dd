/**
 * Correctly rounded `asin` and `acos`, as angles of the point (x, sqrt(1 -
 * x²)) on the unit circle: asin x is the angle of (sqrt(1 - x²), x), acos x
 * that of (x, sqrt(1 - x²)). 1 - x² is exact in double-double, since x² is
 * exact as a sum of two floats and 1 - x² loses nothing near x = ±1, so the
 * small angles near the ends keep their relative accuracy.
 *
 * @module
 */

import { fastAngle, HALF_PI, slowAngle } from "./float_exact_atan.ts";
import { isqrtFloor } from "./float_exact_big.ts";
import { decompose } from "./float_exact_bits.ts";
import { twoProdLow, twoSumLow } from "./float_exact_dd.ts";

// sqrt(1 - x²) in double-double, set by rootOfOneLessSquare().
let rootHi = 0;
let rootLo = 0;

/** Sets sqrt(1 - x²) for 0 < |x| <= 1. */
function rootOfOneLessSquare(x: number): void {
  const p = x * x;
  const d0 = 1 - p;
  const e = twoSumLow(1, -p, d0) - twoProdLow(x, x, p);
  const dh = d0 + e;
  const dl = e - (dh - d0);
  rootHi = Math.sqrt(dh);
  const square = rootHi * rootHi;
  rootLo = ((dh - square) - twoProdLow(rootHi, rootHi, square) + dl) /
    (2 * rootHi || 1);
}

/**
 * x and sqrt(1 - x²) for 0 < |x| < 1 as integers at a common scale, the
 * root within a relative 2 ** -w.
 */
function exactLegs(x: number, w: number): [bigint, bigint] {
  const [m, e] = decompose(x);
  const oneLessSquare = (1n << BigInt(-2 * e)) - m * m;
  return [m << BigInt(w), isqrtFloor(oneLessSquare << BigInt(2 * w))];
}

/** `asin(x)`, correctly rounded; NaN outside [-1, 1]. */
export function exactAsin(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return NaN;
  // Below 2 ** -26, x³/6 is under half an ulp of x.
  if (ax < 2 ** -26) return x;
  if (ax === 1) return x * HALF_PI;
  rootOfOneLessSquare(ax);
  const fast = fastAngle(ax, 0, rootHi, rootLo);
  if (fast === fast) return x < 0 ? -fast : fast;
  return slowAngle(
    (w) => exactLegs(ax, w),
    Math.asin(ax),
    x < 0,
  );
}

/** `acos(x)`, correctly rounded; NaN outside [-1, 1]. */
export function exactAcos(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1)) return NaN;
  // pi/2 - x rounds to pi/2 for these.
  if (ax < 2 ** -55) return HALF_PI;
  if (x === 1) return 0;
  rootOfOneLessSquare(x);
  const fast = fastAngle(rootHi, rootLo, x, 0);
  if (fast === fast) return fast;
  return slowAngle(
    (w) => {
      const [leg, root] = exactLegs(x, w);
      return [root, leg];
    },
    Math.acos(x),
    false,
  );
}
