/**
 * `pow(x, y)` as glibc 2.36's FMA build computes it on x86-64, bit for
 * bit, including the rare results that are not correctly rounded.
 *
 * The method is glibc's (from Arm's optimized-routines): log(x) as a
 * double-double hi + lo to about 68 bits, y times it as another, and
 * exp of that by the same steps as `exp`, with the low part joining the
 * reduced argument. Where the exact power lies almost on a rounding
 * boundary (x * x exactly halfway between two floats, say), the reply
 * depends on the sign of that computation's tiny error, so every step
 * is kept as glibc's: the same table, polynomial and order of
 * operations, with a product fused into an FMA wherever GCC fused it.
 *
 * log(x) = k ln2 + log(c) + log1p(z/c - 1) for x = 2 ** k z, with z in
 * [0x1.69555p-1, 0x1.69555p0) cut into 128 cells and c near the centre
 * of z's cell. 1/c is a multiple of 1/128 below 1 and of 1/256 above, so
 * z/c - 1 is exact; log(c) is kept as a multiple of 2 ** -43 (so that
 * adding k ln2 to it is exact) plus its rounded remainder. The table is
 * computed here at load time from that rule; it equals glibc's published
 * table entry for entry.
 *
 * Emulating each fused step exactly costs about twice as much as the
 * steps themselves, so the same steps run unfused first, with a bound on
 * how far that can move the value before its last rounding; only when a
 * rounding boundary lies within that bound (about one call in eight, and
 * every halfway power) do the fused steps run.
 *
 * @example
 * ```ts
 * import { powLikeGlibc } from "./float_like_glibc_pow.ts";
 *
 * powLikeGlibc(2, 0.5); // 1.4142135623730951
 * powLikeGlibc(-2, 3); // -8
 * ```
 *
 * @module
 */

import { logFixed } from "./float_exact_big.ts";
import { hexToFloat } from "./float_exact_bits.ts";
import { POW2, twoProdLow } from "./float_exact_dd.ts";
import { fmaInRange } from "./float_fma.ts";
import {
  expWithTailIfSure,
  expWithTailLikeGlibc,
} from "./float_like_glibc_exp.ts";
import { highWord, withHighWord } from "./float_like_glibc_words.ts";

/** The high word of glibc's OFF, 0x3fe6955500000000: z starts there. */
const OFF_HIGH = 0x3fe69555;
/** Each of the 128 cells spans 2 ** 45 in z's bits, 2 ** 13 in its high word. */
const CELL_HIGH = 1 << 13;

/** 1/c for each cell. */
const INV_C = new Float64Array(128);
/** log(c) rounded to a multiple of 2 ** -43. */
const LOG_C = new Float64Array(128);
/** log(c) - LOG_C[i], rounded. */
const LOG_C_TAIL = new Float64Array(128);

const TABLE_BITS = 200;
for (let i = 0; i < 128; i++) {
  const centre = withHighWord(0, OFF_HIGH + i * CELL_HIGH + CELL_HIGH / 2);
  // 1/c = j / 2 ** shift, with j the nearest integer.
  const shift = centre < 1 ? 7 : 8;
  const j = Math.round(POW2(shift) / centre);
  const logC = -logFixed(BigInt(j), -shift, TABLE_BITS);
  const drop = BigInt(TABLE_BITS - 43);
  const rounded = (logC + (1n << (drop - 1n))) >> drop;
  INV_C[i] = j / POW2(shift);
  LOG_C[i] = Number(rounded) * POW2(-43);
  LOG_C_TAIL[i] = Number(logC - (rounded << drop)) * POW2(-TABLE_BITS);
}

// ln 2 in two parts; the high one has 42 significant bits, so k LN2_HI is
// exact for every k and adding LOG_C[i] to it too.
const LN2_HI = hexToFloat("0x1.62e42fefa3800p-1");
const LN2_LO = hexToFloat("0x1.ef35793c76730p-45");

// log1p(r) = r - r²/2 + ..., with the terms from r³ on written as
// (-r³/2) (A1 + A2 r + (-r²/2) (A3 + A4 r + (-r²/2) (A5 + A6 r))).
const A1 = hexToFloat("0x1.555555555556p-2") * -2;
const A2 = hexToFloat("-0x1.0000000000006p-2") * -2;
const A3 = hexToFloat("0x1.999999959554ep-3") * 4;
const A4 = hexToFloat("-0x1.555555529a47ap-3") * 4;
const A5 = hexToFloat("0x1.2495b9b4845e9p-3") * -8;
const A6 = hexToFloat("-0x1.0002b8b263fc3p-3") * -8;

// Veltkamp's splitter for doubles, 2 ** 27 + 1.
const SPLITTER = 134217729;
const SMALLEST_NORMAL = 2 ** -1022;

/** The low part of the last {@linkcode logWithTail}, read straight after. */
let logTail = 0;
/**
 * For the last unfused {@linkcode logWithTail}: a bound on how far its
 * hi + lo may lie from the fused one's. The fused steps differ from the
 * unfused ones by the rounding of a product, 2 ** -53 of it, and by
 * roundings that this moves across a boundary, an ulp each; summed over
 * the steps, that is below 2 ** -93 (|k| + 1) (from k ln2lo), 2 ** -50.5
 * |r|³ (from the series) and 2 ** -99 |hi|. The bound takes each eight
 * times or more.
 */
let logDoubt = 0;

/**
 * log(x) for a positive finite x as hi + lo, about 68 bits: returns hi and
 * leaves lo in {@linkcode logTail}. With `fused` false the products that
 * glibc fuses are rounded, which is faster, and {@linkcode logDoubt} tells
 * how far that may move the result.
 */
function logWithTail(x: number, fused: boolean): number {
  let k = 0;
  if (x < SMALLEST_NORMAL) {
    x *= POW2(52);
    k = -52;
  }
  // x = 2 ** k z with z in [OFF, 2 OFF); the bits above the cell number
  // give k, and z keeps x's fraction under the exponent of its range.
  const high = highWord(x);
  const fromOff = high - OFF_HIGH;
  const i = (fromOff >>> 13) & 127;
  k += fromOff >> 20;
  const z = withHighWord(x, high - (fromOff & 0xfff00000));

  const invC = INV_C[i];
  const r = exactCellOffset(z, invC);
  const t1 = k * LN2_HI + LOG_C[i];
  const t2 = t1 + r;
  const lo1 = mulAdd(k, LN2_LO, LOG_C_TAIL[i], fused);
  const lo2 = t1 - t2 + r;

  const ar = -0.5 * r;
  const ar2 = r * ar;
  const ar3 = r * ar2;
  const hi = t2 + ar2;
  const lo3 = twoProdLow(ar, r, ar2);
  const lo4 = t2 - hi + ar2;
  const series = mulAdd(
    ar2,
    mulAdd(ar2, mulAdd(r, A6, A5, fused), mulAdd(r, A4, A3, fused), fused),
    mulAdd(r, A2, A1, fused),
    fused,
  );
  const lo = mulAdd(ar3, series, lo1 + lo2 + lo3 + lo4, fused);
  const y = hi + lo;
  logTail = hi - y + lo;
  logDoubt = 2 ** -88 * (Math.abs(k) + 1) + 2 ** -46 * Math.abs(r * ar2) +
    2 ** -96 * Math.abs(y);
  return y;
}

/** a * b + c, fused into one rounding or not. */
function mulAdd(a: number, b: number, c: number, fused: boolean): number {
  return fused ? fmaInRange(a, b, c) : a * b + c;
}

/**
 * z/c - 1, exactly, as glibc's fused z * invC - 1: the product of a
 * 26-bit half of z and the 9-bit invC is exact, and so is the sum since
 * the result is a float.
 */
function exactCellOffset(z: number, invC: number): number {
  const split = SPLITTER * z;
  const zHigh = split - (split - z);
  return (zHigh * invC - 1) + (z - zHigh) * invC;
}

/** 1 for an odd integer, 2 for an even one, 0 for any other float. */
function integerKind(y: number): number {
  if (!Number.isInteger(y)) return 0;
  return Math.abs(y) % 2 === 1 ? 1 : 2;
}

/** `pow(x, y)` as C's, bit for bit as glibc 2.36's FMA build. */
export function powLikeGlibc(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  if (!Number.isFinite(y)) {
    if (x === -1) return 1;
    return (Math.abs(x) < 1) === (y > 0) ? 0 : Infinity;
  }
  if (x === 0 || !Number.isFinite(x)) return powOfZeroOrInfinity(x, y);

  let sign = 1;
  if (x < 0) {
    const kind = integerKind(y);
    if (kind === 0) return NaN;
    if (kind === 1) sign = -1;
    x = -x;
  }
  const ay = Math.abs(y);
  if (ay < 2 ** -65 || ay >= 2 ** 63) {
    // Here y is even or not an integer, so the sign is +.
    if (x === 1) return 1;
    if (ay < 2 ** -65) return x > 1 ? 1 + y : 1 - y;
    return (x > 1) === (y > 0) ? Infinity : 0;
  }

  // Nearly always the unfused steps are enough to know glibc's reply.
  // Rounding y * lo, which glibc fuses, moves y (hi + lo) by less than
  // 2 ** -104 of it, well inside y times the log's bound.
  const hi = logWithTail(x, false);
  const yHi = y * hi;
  const yLo = y * logTail + twoProdLow(y, hi, yHi);
  const sure = expWithTailIfSure(yHi, yLo, Math.abs(y) * logDoubt);
  return sign * (Number.isNaN(sure) ? powByFusedSteps(x, y) : sure);
}

/**
 * pow(x, y) for positive x by glibc's fused steps, each one exact: what
 * {@linkcode powLikeGlibc} falls back on, and what tests hold it to.
 */
export function powByFusedSteps(x: number, y: number): number {
  const hi = logWithTail(x, true);
  const yHi = y * hi;
  const yLo = fmaInRange(y, logTail, twoProdLow(y, hi, yHi));
  return expWithTailLikeGlibc(yHi, yLo);
}

/** pow(±0, y) and pow(±inf, y) for finite nonzero y, as C99 specifies. */
function powOfZeroOrInfinity(x: number, y: number): number {
  let square = x * x;
  if (Object.is(x, -0) || x < 0) {
    if (integerKind(y) === 1) square = -square;
  }
  return y < 0 ? 1 / square : square;
}
