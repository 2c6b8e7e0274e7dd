/**
 * Correctly rounded `atan` and `atan2`, and the angle of a point that
 * `asin` and `acos` share.
 *
 * The fast path takes the angle of a point (x, y) with y >= 0 in
 * double-double: t = y / |x| or |x| / y, whichever is at most 1, then t = c
 * + a bit with c = k/64, atan t = atan c + atan((t - c) / (1 + t c)), atan
 * c from a table computed exactly at load time and the second atan by its
 * Taylor series, the first terms in double-double; then pi/2 - and pi -
 * for the octant. The relative error stays below about 2 ** -78 (the
 * series' tail in double precision and the terms dropped count most), and
 * results are taken as in doubt within 2 ** -72, where the exact BigInt
 * path takes over: the same octants on integers, atan by halvings and its
 * series, with ever more bits (Ziv's strategy).
 *
 * @module
 */

import { atanFixed, piFixed, roundByZiv } from "./float_exact_big.ts";
import { decompose } from "./float_exact_bits.ts";
import {
  fixedToDouble,
  mulAdd,
  mulAddLow,
  roundsSurely,
  scaleByPowerOfTwo,
  twoProdLow,
  twoSumLow,
} from "./float_exact_dd.ts";

const BOUND = 2 ** -72;
const TABLE_BITS = 140;
const TABLE_SIZE = 65;
const ATAN_HI = new Float64Array(TABLE_SIZE);
const ATAN_LO = new Float64Array(TABLE_SIZE);
for (let k = 0; k < TABLE_SIZE; k++) {
  const a = atanFixed(BigInt(k) << BigInt(TABLE_BITS - 6), TABLE_BITS);
  [ATAN_HI[k], ATAN_LO[k]] = fixedToDouble(a, TABLE_BITS);
}
const [PI_HI, PI_LO] = fixedToDouble(piFixed(TABLE_BITS), TABLE_BITS);
const HALF_PI_HI = PI_HI / 2;
const HALF_PI_LO = PI_LO / 2;
const [THIRD_HI, THIRD_LO] = fixedToDouble(-(1n << 120n) / 3n, 120);

// The angle last computed, in double-double.
let angleHi = 0;
let angleLo = 0;

/** Sets the angle to atan t for the double-double t in [0, 1]. */
function atanKernel(th: number, tl: number): void {
  const k = Math.round(th * 64);
  const c = k / 64;
  // u = (t - c) / (1 + t c); t - c is exact since c is within a factor
  // of two of t (or 0).
  const n0 = th - c;
  const nh = n0 + tl;
  const nl = twoSumLow(n0, tl, nh);
  const p = c * th;
  const dh = 1 + p;
  const dl = twoSumLow(1, p, dh) + twoProdLow(c, th, p) + c * tl;
  const q = nh / dh;
  const pq = q * dh;
  const r = ((nh - pq) - twoProdLow(q, dh, pq) + nl - q * dl) / dh;
  const uh = q + r;
  const ul = r - (uh - q);

  // atan u = u + u³ (-1/3 + u² tail), |u| <= 1/128.
  const u2h = uh * uh;
  const u2l = twoProdLow(uh, uh, u2h) + 2 * uh * ul;
  const tail = 1 / 5 +
    u2h * (-1 / 7 + u2h * (1 / 9 + u2h * (-1 / 11 + u2h * (1 / 13))));
  let h = mulAdd(u2h, u2l, tail, 0, THIRD_HI, THIRD_LO);
  h = mulAdd(u2h, u2l, h, mulAddLow, 0, 0);
  const a = mulAdd(uh, ul, h, mulAddLow, uh, ul);
  const al = mulAddLow;

  angleHi = ATAN_HI[k] + a;
  angleLo = twoSumLow(ATAN_HI[k], a, angleHi) + al + ATAN_LO[k];
}

/** The double-double quotient of two double-doubles, for the kernel. */
function divide(ah: number, al: number, bh: number, bl: number): void {
  const q = ah / bh;
  const pq = q * bh;
  const r = ((ah - pq) - twoProdLow(q, bh, pq) + al - q * bl) / bh;
  atanKernel(q + r, r - ((q + r) - q));
}

/** Sets the angle to `base - angle`, for a double-double base. */
function subtractFrom(baseHi: number, baseLo: number): void {
  const s = baseHi - angleHi;
  angleLo = twoSumLow(baseHi, -angleHi, s) + baseLo - angleLo;
  angleHi = s;
}

/**
 * The angle of the point (x, y), y >= 0, in double-double, from
 * double-double coordinates below 4 in magnitude, each above 2 ** -700
 * or zero, rounded when the rounding is sure; NaN when in doubt.
 */
export function fastAngle(
  yh: number,
  yl: number,
  xh: number,
  xl: number,
): number {
  const negative = xh < 0;
  const ah = negative ? -xh : xh;
  const al = negative ? -xl : xl;
  if (yh > ah) {
    divide(ah, al, yh, yl);
    subtractFrom(HALF_PI_HI, HALF_PI_LO);
  } else {
    divide(yh, yl, ah, al);
  }
  if (negative) subtractFrom(PI_HI, PI_LO);
  const hi = angleHi + angleLo;
  const lo = angleLo - (hi - angleHi);
  return roundsSurely(hi, lo, hi * BOUND) ? hi : NaN;
}

/**
 * The angle of the point (x, y) of integers, y >= 0, with `w` fraction
 * bits, within 16 units.
 */
function angleFixed(y: bigint, x: bigint, w: number): bigint {
  const ax = x < 0n ? -x : x;
  const shift = BigInt(w);
  const a = y <= ax
    ? atanFixed((y << shift) / ax, w)
    : (piFixed(w) >> 1n) - atanFixed((ax << shift) / y, w);
  return x < 0n ? piFixed(w) - a : a;
}

/**
 * The angle of the point (x, y), y >= 0, correctly rounded and negated
 * when `negate`; `coordinates(w)` gives x and y as integers at a common
 * scale, exact or within a relative 2 ** -w. `size` is the angle roughly.
 */
export function slowAngle(
  coordinates: (w: number) => [bigint, bigint],
  size: number,
  negate: boolean,
): number {
  const magnitude = Math.floor(Math.log2(size));
  return roundByZiv((precision) => {
    const w = precision + 16 - magnitude;
    const [y, x] = coordinates(w + 24);
    const a = angleFixed(y, x, w);
    return [negate ? -a : a, -w, 20n];
  });
}

/** The floats `y` and `x` as integers at a common scale. */
function commonScale(y: number, x: number): [bigint, bigint] {
  const [my, ey] = decompose(y);
  const [mx, ex] = decompose(x);
  const e = Math.min(ey, ex);
  return [my << BigInt(ey - e), mx << BigInt(ex - e)];
}

/** `atan(x)`, correctly rounded. */
export function exactAtan(x: number): number {
  const ax = Math.abs(x);
  // Below 2 ** -27, x³/3 is under a quarter of an ulp of x; above 2 ** 60
  // the distance from pi/2 is far from a rounding boundary.
  if (!(ax > 2 ** -27)) return x;
  if (ax > 2 ** 60) return x < 0 ? -HALF_PI_HI : HALF_PI_HI;
  const fast = fastAngle(ax, 0, 1, 0);
  if (fast === fast) return x < 0 ? -fast : fast;
  return slowAngle(
    () => commonScale(ax, 1),
    ax < 1 ? ax : 1,
    x < 0,
  );
}

/** `atan2(y, x)` with C99's special values, as CPython's `math.atan2`. */
export function exactAtan2(y: number, x: number): number {
  if (y !== y || x !== x) return NaN;
  const ay = Math.abs(y);
  const ax = Math.abs(x);
  const negate = y < 0 || Object.is(y, -0);
  const sign = negate ? -1 : 1;
  const west = x < 0 || Object.is(x, -0);
  if (ay === Infinity) {
    if (ax === Infinity) return sign * (west ? 0.75 * PI_HI : 0.25 * PI_HI);
    return sign * HALF_PI_HI;
  }
  if (ax === Infinity || ay === 0) return sign * (west ? PI_HI : 0);
  if (ax === 0) return sign * HALF_PI_HI;

  const ratio = ay / ax;
  // Below 2 ** -600, atan(y / x) = y / x - (y / x)³ / 3 rounds as y / x,
  // save when y / x is exactly halfway between two subnormals: glibc
  // divides there, rounding the tie to even, and so does this.
  if (ratio < 2 ** -600) return west ? sign * PI_HI : y / x;
  if (ratio > 2 ** 600) return sign * HALF_PI_HI;
  // Both scaled so that the larger lies in [1, 4): atan2 does not change.
  const k = -Math.floor(Math.log2(Math.max(ay, ax)));
  const sy = scaleByPowerOfTwo(ay, k);
  const sx = scaleByPowerOfTwo(x, k);
  const fast = fastAngle(sy, 0, sx, 0);
  if (fast === fast) return sign * fast;
  return slowAngle(
    () => commonScale(ay, x),
    Math.atan2(ay, x),
    negate,
  );
}
