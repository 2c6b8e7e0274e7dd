/**
 * `cbrt` as glibc 2.36 computes it for doubles (not fdlibm's method): a
 * degree-6 polynomial guess of the cube root of the mantissa, one rational
 * refinement step, a table factor for the exponent's remainder modulo 3,
 * and the scaling by 2 ** (exponent / 3). Every operation is done in the
 * same order as glibc, so the results agree bit for bit; glibc's are up to
 * a few ulps from the true cube root (`math.cbrt(27)` is
 * 3.0000000000000004), and so are these.
 *
 * @module
 */

import { frexp } from "./math_bits.ts";
import { highWord, withHighWord } from "./float_like_glibc_words.ts";

const CBRT2 = 1.2599210498948731648;
const SQR_CBRT2 = 1.5874010519681994748;

/** 2 ** (r / 3) for the remainder r from -2 to 2, at index r + 2. */
const FACTOR = [1 / SQR_CBRT2, 1 / CBRT2, 1, CBRT2, SQR_CBRT2];

// glibc's polynomial for the cube root of m in [0.5, 1), degree 0 to 6.
const C0 = 0.354895765043919860;
const C1 = 1.50819193781584896;
const C2 = -2.11499494167371287;
const C3 = 2.44693122563534430;
const C4 = -1.83469277483613086;
const C5 = 0.784932344976639262;
const C6 = -0.145263899385486377;

/** `cbrt(x)`, bit for bit as glibc computes it. */
export function cbrtLikeGlibc(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return x + x;

  // C's frexp(fabs(x)): the mantissa xm in [0.5, 1) and the exponent xe.
  const high = highWord(x) & 0x7fffffff;
  let xm: number;
  let xe: number;
  if (high >= 0x00100000) {
    xm = withHighWord(x, (high & 0x000fffff) | 0x3fe00000);
    xe = (high >>> 20) - 1022;
  } else {
    // Subnormal: the exact general path.
    [xm, xe] = frexp(Math.abs(x));
  }

  const u = C0 +
    (C1 + (C2 + (C3 + (C4 + (C5 + C6 * xm) * xm) * xm) * xm) * xm) * xm;
  const t2 = u * u * u;
  // C's % and / truncate toward zero, as JavaScript's % and Math.trunc do.
  const ym = u * (t2 + 2 * xm) / (2 * t2 + xm) * FACTOR[2 + xe % 3];

  // The result is a normal double, so scaling by a power of two is exact.
  const scale = withHighWord(0, 0x3ff00000 + (Math.trunc(xe / 3) << 20));
  return (x > 0 ? ym : -ym) * scale;
}
