/**
 * `asinh`, `acosh` and `atanh` by the formulas glibc evaluates (those of
 * Sun's fdlibm, which glibc keeps), on the correctly rounded `log` and
 * `log1p` of this project: with glibc's own `log` and `log1p` these
 * formulas give glibc's results bit for bit, so ours differ only where
 * glibc's `log1p` is not correctly rounded (about one call in 200).
 *
 * @module
 */

import { exactLog, exactLog1p } from "./float_exact_log.ts";

const LN2 = Math.LN2;
const TINY = 2 ** -28;
const HUGE = 2 ** 28;

/** `asinh(x)`, as glibc computes it. */
export function asinhLikeGlibc(x: number): number {
  const a = Math.abs(x);
  if (a < TINY) return x;
  let w: number;
  if (a > HUGE) {
    w = exactLog(a) + LN2;
  } else if (a > 2) {
    w = exactLog(2 * a + 1 / (Math.sqrt(x * x + 1) + a));
  } else {
    const t = x * x;
    w = exactLog1p(a + t / (1 + Math.sqrt(1 + t)));
  }
  return x < 0 ? -w : w;
}

/** `acosh(x)`, as glibc computes it; NaN below 1. */
export function acoshLikeGlibc(x: number): number {
  if (x < 1) return NaN;
  if (x > HUGE) return exactLog(x) + LN2;
  if (x === 1) return 0;
  if (x > 2) return exactLog(2 * x - 1 / (x + Math.sqrt(x * x - 1)));
  const t = x - 1;
  return exactLog1p(t + Math.sqrt(2 * t + t * t));
}

/** `atanh(x)`, as glibc computes it: ±inf at ±1, NaN beyond. */
export function atanhLikeGlibc(x: number): number {
  const a = Math.abs(x);
  if (a < TINY) return x;
  let t: number;
  if (a < 0.5) {
    const twice = a + a;
    t = 0.5 * exactLog1p(twice + twice * a / (1 - a));
  } else if (a < 1) {
    t = 0.5 * exactLog1p((a + a) / (1 - a));
  } else {
    return a === 1 ? x / 0 : NaN;
  }
  return x < 0 ? -t : t;
}
