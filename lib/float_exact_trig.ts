/**
 * Correctly rounded `tan`. (glibc's `sin` and `cos`, which CPython calls,
 * are followed operation for operation in `float_like_glibc_sin.ts`.)
 *
 * The fast path, for |x| below 2 ** 20, reduces x to r = x - k pi/2 with
 * pi/2 in four parts (Cody and Waite), in double-double; then r = a + b
 * with a a multiple of 1/64 whose sine and cosine come from a table
 * computed exactly at load time, |b| at most 1/128, and sin(a + b), cos(a +
 * b) by the addition formulas with Taylor series of sin b and cos b - 1,
 * their first terms in double-double. The relative error stays below
 * 2 ** -78. Larger arguments, results in doubt and r too close to 0 take
 * the exact BigInt path: x - k pi/2 with pi to as many bits as x needs,
 * then the Taylor series, with ever more bits (Ziv's strategy).
 *
 * @module
 */

import {
  floatToFixed,
  piFixed,
  roundByZiv,
  sinCosFixed,
} from "./float_exact_big.ts";
import { decompose } from "./float_exact_bits.ts";
import {
  fixedToDouble,
  mulAdd,
  mulAddLow,
  roundsSurely,
  twoProdLow,
  twoSumLow,
} from "./float_exact_dd.ts";

const BOUND = 2 ** -76;
const FAST_LIMIT = 2 ** 20;
const TABLE_BITS = 140;
const TABLE_SIZE = 52;
const SIN_HI = new Float64Array(TABLE_SIZE);
const SIN_LO = new Float64Array(TABLE_SIZE);
const COS_HI = new Float64Array(TABLE_SIZE);
const COS_LO = new Float64Array(TABLE_SIZE);
for (let i = 0; i < TABLE_SIZE; i++) {
  const [s, c] = sinCosFixed(BigInt(i) << BigInt(TABLE_BITS - 6), TABLE_BITS);
  [SIN_HI[i], SIN_LO[i]] = fixedToDouble(s, TABLE_BITS);
  [COS_HI[i], COS_LO[i]] = fixedToDouble(c, TABLE_BITS);
}

// pi/2 in parts of 33, 33, 33 and 53 bits: k times each of the first three
// is exact for |k| below 2 ** 20.
const [HALF_PI_1, HALF_PI_2, HALF_PI_3, HALF_PI_4] = (() => {
  const bits = 220;
  let rest = piFixed(bits) >> 1n;
  const parts: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const shift = BigInt(bits - 33 * i);
    const head = rest >> shift;
    parts.push(Number(head) / 2 ** (33 * i));
    rest -= head << shift;
  }
  parts.push(fixedToDouble(rest, bits)[0]);
  return parts;
})();
const TWO_OVER_PI = 2 / Math.PI;
const [SIXTH_HI, SIXTH_LO] = fixedToDouble(-(1n << 120n) / 6n, 120);

// The kernel's results: sin r and cos r in double-double, and k mod 4.
let sinHi = 0;
let sinLo = 0;
let cosHi = 0;
let cosLo = 0;
let quadrant = 0;

/**
 * Sets sin r, cos r and the quadrant for x = k pi/2 + r; false when x is
 * too large or r too small for the fast path's error bound.
 */
function kernel(x: number): boolean {
  if (!(Math.abs(x) < FAST_LIMIT)) return false;
  const k = Math.round(x * TWO_OVER_PI);
  const a1 = x - k * HALF_PI_1;
  const p2 = k * HALF_PI_2;
  const s = a1 - p2;
  const p3 = k * HALF_PI_3;
  const s2 = s - p3;
  const low = twoSumLow(a1, -p2, s) + twoSumLow(s, -p3, s2) - k * HALF_PI_4;
  let rh = s2 + low;
  let rl = low - (rh - s2);
  if (Math.abs(rh) < 2 ** -45) return false;
  const negative = rh < 0;
  if (negative) {
    rh = -rh;
    rl = -rl;
  }

  const i = Math.round(rh * 64);
  const b0 = rh - i / 64;
  const bh = b0 + rl;
  const bl = twoSumLow(b0, rl, bh);
  const b2h = bh * bh;
  const b2l = twoProdLow(bh, bh, b2h) + 2 * bh * bl;
  // sin b = b (1 + b2 (-1/6 + b2 s)), cos b - 1 = b2 (-1/2 + b2 c).
  const sTail = 1 / 120 + b2h * (-1 / 5040 + b2h * (1 / 362880));
  let h = mulAdd(b2h, b2l, sTail, 0, SIXTH_HI, SIXTH_LO);
  h = mulAdd(b2h, b2l, h, mulAddLow, 1, 0);
  const sb = mulAdd(bh, bl, h, mulAddLow, 0, 0);
  const sbl = mulAddLow;
  const cTail = 1 / 24 + b2h * (-1 / 720 + b2h * (1 / 40320));
  h = mulAdd(b2h, b2l, cTail, 0, -0.5, 0);
  const cb = mulAdd(b2h, b2l, h, mulAddLow, 0, 0);
  const cbl = mulAddLow;

  // sin(a + b) = sa + (sa (cos b - 1) + ca sin b), and cos alike.
  const sa = SIN_HI[i];
  const ca = COS_HI[i];
  let t = mulAdd(sa, SIN_LO[i], cb, cbl, 0, 0);
  t = mulAdd(ca, COS_LO[i], sb, sbl, t, mulAddLow);
  sinHi = sa + t;
  sinLo = twoSumLow(sa, t, sinHi) + mulAddLow + SIN_LO[i];
  t = mulAdd(ca, COS_LO[i], cb, cbl, 0, 0);
  t = mulAdd(-sa, -SIN_LO[i], sb, sbl, t, mulAddLow);
  cosHi = ca + t;
  cosLo = twoSumLow(ca, t, cosHi) + mulAddLow + COS_LO[i];
  if (negative) {
    sinHi = -sinHi;
    sinLo = -sinLo;
  }
  quadrant = k & 3;
  return true;
}

/**
 * x = k pi/2 + r exactly enough, as r with `w` fraction bits, its error
 * in units and k mod 4.
 */
function reduceExactly(
  x: number,
  precision: number,
): [bigint, number, bigint, number] {
  const [, e] = decompose(x);
  const top = Math.max(0, e + 54);
  const w = precision + 128 + top;
  const halfPi = piFixed(w) >> 1n;
  const big = floatToFixed(x, w);
  const magnitude = big < 0n ? -big : big;
  let k = (magnitude + (halfPi >> 1n)) / halfPi;
  if (big < 0n) k = -k;
  const r = big - k * halfPi;
  // k times the error of pi/2, and the truncations of the series.
  const error = (1n << BigInt(top)) + BigInt(w);
  return [r, w, error, Number(((k % 4n) + 4n) % 4n)];
}

function special(x: number): number | undefined {
  if (!Number.isFinite(x)) return NaN;
  return undefined;
}

/** `tan(x)`, correctly rounded. */
export function exactTan(x: number): number {
  if (Math.abs(x) < 2 ** -27) return x;
  const early = special(x);
  if (early !== undefined) return early;
  if (kernel(x)) {
    // tan x is sin r / cos r in even quadrants, cos r / -sin r in odd ones.
    const odd = (quadrant & 1) === 1;
    const nh = odd ? cosHi : sinHi;
    const nl = odd ? cosLo : sinLo;
    const dh = odd ? -sinHi : cosHi;
    const dl = odd ? -sinLo : cosLo;
    const q = nh / dh;
    const rest = (nh - q * dh - twoProdLow(q, dh, q * dh) + nl - q * dl) / dh;
    const hi = q + rest;
    const lo = rest - (hi - q);
    if (roundsSurely(hi, lo, Math.abs(hi) * BOUND * 2)) return hi;
  }
  return roundByZiv((precision) => {
    const [r, w, error, q] = reduceExactly(x, precision);
    const [s, c] = sinCosFixed(r, w);
    const [num, den] = q % 2 === 0 ? [s, c] : [c, -s];
    const t = (num << BigInt(w)) / den;
    const whole = t >> BigInt(w);
    return [t, -w, error * (whole * whole + 4n) + 4n];
  });
}
