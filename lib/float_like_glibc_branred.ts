/**
 * The reduction of a huge argument by multiples of pi/2 as glibc 2.36's
 * `__branred` computes it (IBM's Accurate Mathematical Library), bit for
 * bit, for its `sin` and `cos` when |x| is at least 105414350.
 *
 * The method: x, scaled by 2 ** -600, is split into two halves of 26 bits,
 * each multiplied by six 24-bit digits of 2/pi chosen for its exponent (so
 * that the products keep the bits that matter mod 4); the integer parts
 * are summed apart, the fractions in double-double, and the fraction of a
 * quadrant is multiplied back by pi/2 in double-double. glibc compiles
 * this file without FMA on x86-64 (it has no FMA build of it), so nothing
 * here is fused. The digits of 2/pi are computed here at load time; they
 * equal glibc's `toverp` table digit for digit.
 *
 * @module
 */

import { piFixed } from "./float_exact_big.ts";
import { hexToFloat } from "./float_exact_bits.ts";
import { POW2 } from "./float_exact_dd.ts";
import { highWord } from "./float_like_glibc_words.ts";

/** 2/pi in base 2 ** 24: digit i is bits 24 i + 1 to 24 i + 24. */
const DIGITS = new Float64Array(75);
{
  const bits = 24 * DIGITS.length + 64;
  const twoOverPi = (1n << BigInt(2 * bits + 1)) / piFixed(bits);
  for (let i = 0; i < DIGITS.length; i++) {
    const shift = BigInt(bits - 24 * (i + 1));
    DIGITS[i] = Number((twoOverPi >> shift) & 0xffffffn);
  }
}

// Veltkamp's splitter 2 ** 27 + 1, and the rounding constants that take
// the integer part (1.5 * 2 ** 52) and the part mod 4 (1.5 * 2 ** 54).
const SPLITTER = 134217729;
const ROUND_INTEGER = 1.5 * 2 ** 52;
const ROUND_FOUR = 1.5 * 2 ** 54;
// pi/2 as a double-double, and split into two parts of 27 bits.
const HALF_PI_HI = hexToFloat("0x1.921fb54442d18p+0");
const HALF_PI_LO = hexToFloat("0x1.1a62633145c07p-54");
const HALF_PI_HI_27 = hexToFloat("0x1.921fb58000000p+0");
const HALF_PI_LO_27 = hexToFloat("-0x1.dde9740000000p-27");

const products = new Float64Array(6);
// The results of partReduce, read straight after each call.
let partHigh = 0;
let partLow = 0;
let partQuadrants = 0;

/**
 * x (2/pi) for one half x of the argument: its fraction as the
 * double-double partHigh + partLow, its integer part mod 4 (within
 * [-2, 2]) as partQuadrants.
 */
function partReduce(x: number): void {
  const exponent = (highWord(x) >>> 20) & 2047;
  // C's integer division truncates towards zero.
  const first = Math.max(0, Math.trunc((exponent - 450) / 24));
  let scale = POW2(576 - 24 * first);
  for (let i = 0; i < 6; i++) {
    products[i] = x * DIGITS[first + i] * scale;
    scale *= POW2(-24);
  }
  let sum = 0;
  for (let i = 0; i < 3; i++) {
    const whole = (products[i] + ROUND_INTEGER) - ROUND_INTEGER;
    sum += whole;
    products[i] -= whole;
  }
  let t = 0;
  for (let i = 5; i >= 0; i--) t += products[i];
  let bb = (((((products[0] - t) + products[1]) + products[2]) +
    products[3]) + products[4]) + products[5];
  const whole = (t + ROUND_INTEGER) - ROUND_INTEGER;
  sum += whole;
  t -= whole;
  const b = t + bb;
  bb = (t - b) + bb;
  partQuadrants = sum - ((sum + ROUND_FOUR) - ROUND_FOUR);
  partHigh = b;
  partLow = bb;
}

/**
 * The remainder of the last {@linkcode hugeReduce} as a double-double:
 * read straight after the call (module variables, so nothing is allocated).
 */
export let hugeReduceHigh = 0;
/** The low part of the last {@linkcode hugeReduce}'s remainder. */
export let hugeReduceLow = 0;

/**
 * x = n pi/2 + (a + da) with |a + da| <= pi/4, for finite |x| at least
 * 2 ** 26: returns n mod 4, and leaves a and da in
 * {@linkcode hugeReduceHigh} and {@linkcode hugeReduceLow}.
 */
export function hugeReduce(x: number): number {
  const scaled = x * POW2(-600);
  const split = scaled * SPLITTER;
  const x1 = split - (split - scaled);
  const x2 = scaled - x1;
  partReduce(x1);
  const b1 = partHigh, bb1 = partLow, sum1 = partQuadrants;
  partReduce(x2);
  const b2 = partHigh, bb2 = partLow;
  let sum = sum1 + partQuadrants;
  let b = b1 + b2;
  let bb = Math.abs(b1) > Math.abs(b2) ? (b1 - b) + b2 : (b2 - b) + b1;
  if (b > 0.5) {
    b -= 1;
    sum += 1;
  } else if (b < -0.5) {
    b += 1;
    sum -= 1;
  }
  const s = b + (bb + bb1 + bb2);
  const t = ((b - s) + bb) + (bb1 + bb2);
  // (s + t) pi/2 in double-double, s split for Dekker's product.
  const c = s * SPLITTER;
  const s1 = c - (c - s);
  const s2 = s - s1;
  const p = s * HALF_PI_HI;
  bb = (((s1 * HALF_PI_HI_27 - p) + s1 * HALF_PI_LO_27) + s2 * HALF_PI_HI_27) +
    (s2 * HALF_PI_LO_27 + s * HALF_PI_LO + t * HALF_PI_HI);
  hugeReduceHigh = p + bb;
  hugeReduceLow = (p - hugeReduceHigh) + bb;
  return (sum | 0) & 3;
}
