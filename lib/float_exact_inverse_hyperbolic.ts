/**
 * `asinh`, `acosh` and `atanh` by the formulas glibc evaluates (those of
 * Sun's fdlibm, which glibc keeps), on glibc's own `log1p`
 * (`float_like_glibc_log.ts`) and on this project's correctly rounded
 * `log`. Limitation: glibc's `log` is not correctly rounded in rare cases
 * (a few inputs in 100,000, where asinh's or acosh's argument exceeds 2),
 * and there the replies differ from CPython's by one ulp.
 *
 * @module
 */

import { exactLog } from "./float_exact_log.ts";
import { log1pLikeGlibc } from "./float_like_glibc_log.ts";
import { highWord } from "./float_like_glibc_words.ts";

const LN2 = Math.LN2;
const TINY = 2 ** -28;
const HUGE = 2 ** 28;

/**
 * `asinh(x)`, as glibc computes it. glibc picks the formula by the high
 * word of |x| alone, so |x| just above 2 (below 2 + 2 ** -19) still takes
 * the `log1p` formula, and just above 2 ** 28 the middle one.
 */
export function asinhLikeGlibc(x: number): number {
  const a = Math.abs(x);
  const high = highWord(a);
  if (high < 0x3e300000) return x;
  let w: number;
  if (high > 0x41b00000) {
    w = exactLog(a) + LN2;
  } else if (high > 0x40000000) {
    w = exactLog(2 * a + 1 / (Math.sqrt(x * x + 1) + a));
  } else {
    const t = x * x;
    w = log1pLikeGlibc(a + t / (1 + Math.sqrt(1 + t)));
  }
  return x < 0 ? -w : w;
}

/**
 * `acosh(x)`, as glibc computes it; NaN below 1. Here glibc compares all
 * 64 bits of x, so 2 ** 28 itself already takes the `log` formula.
 */
export function acoshLikeGlibc(x: number): number {
  if (x < 1) return NaN;
  if (x >= HUGE) return exactLog(x) + LN2;
  if (x === 1) return 0;
  if (x > 2) return exactLog(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return log1pLikeGlibc(t + Math.sqrt(2 * t + t * t));
}

/** `atanh(x)`, as glibc computes it: ±inf at ±1, NaN beyond. */
export function atanhLikeGlibc(x: number): number {
  const a = Math.abs(x);
  if (a < TINY) return x;
  let t: number;
  if (a < 0.5) {
    const twice = a + a;
    t = 0.5 * log1pLikeGlibc(twice + twice * a / (1 - a));
  } else if (a < 1) {
    t = 0.5 * log1pLikeGlibc((a + a) / (1 - a));
  } else {
    return a === 1 ? x / 0 : NaN;
  }
  return x < 0 ? -t : t;
}
