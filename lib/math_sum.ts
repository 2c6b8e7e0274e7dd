/**
 * The `math` functions over many values: `fsum`, `hypot`, `dist` and
 * `prod`, computed as CPython 3.11 computes them, so that their results
 * agree bit for bit.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { iterate } from "./math_args.ts";
import { ldexp } from "./math_bits.ts";
import { exponentOf, powerOfTwoFrom } from "./math_float.ts";
import { toFloat } from "./py_convert.ts";
import { binaryOp } from "./py_ops.ts";
import type { PyValue } from "./py_value.ts";

/**
 * Adds `x` to the exact sum held in `partials`, a list of non-overlapping
 * floats of increasing magnitude (Shewchuk's algorithm); returns the new
 * length of the list.
 */
function addToPartials(partials: number[], x: number): number {
  let n = 0;
  for (let i = 0; i < partials.length; i++) {
    let y = partials[i];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[n++] = lo;
    x = hi;
  }
  partials.length = n;
  if (x !== 0) partials.push(x);
  return partials.length;
}

/** Rounds the exact sum held in `partials` to the nearest float. */
function roundPartials(partials: number[]): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // The partials below may push a rounding tie to the other side: if they
  // share lo's sign, the true sum lies beyond the halfway point.
  if (
    n > 0 &&
    ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))
  ) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** `math.fsum(iterable)`: the correctly rounded sum, with CPython's errors. */
export function fsum(iterable: PyValue): number {
  const partials: number[] = [];
  let specialSum = 0;
  let infinitySum = 0;
  const items = iterate(iterable);
  for (let i = 0; i < items.length; i++) {
    const x = toFloat(items[i]);
    const length = addToPartials(partials, x);
    const top = length === 0 ? 0 : partials[length - 1];
    if (Number.isFinite(top)) continue;
    // An infinite partial comes from an overflow or from a summand that is
    // itself infinite or NaN; the latter are summed apart.
    if (Number.isFinite(x)) {
      throw makePyException("OverflowError", "intermediate overflow in fsum");
    }
    if (!Number.isNaN(x)) infinitySum += x;
    specialSum += x;
    partials.length = 0;
  }
  if (specialSum !== 0) {
    if (Number.isNaN(infinitySum)) {
      throw makePyException("ValueError", "-inf + inf in fsum");
    }
    return specialSum;
  }
  return roundPartials(partials);
}

/**
 * The rounding error of the last `squareWithError()`, kept here rather
 * than returned in an array, which cost more than the arithmetic.
 */
let squareError = 0;

/**
 * `x * x` rounded, leaving its exact error in `squareError` (Dekker's
 * product, with `x` split into two halves of 26 bits by Veltkamp's method).
 */
function squareWithError(x: number): number {
  const t = x * 134217729;
  const hi = t - (t - x);
  const lo = x - hi;
  const p = hi * hi;
  const q = hi * lo + lo * hi;
  const z = p + q;
  squareError = p - z + q + lo * lo;
  return z;
}

/**
 * The Euclidean norm of non-negative `values` whose largest is `max`, as
 * CPython computes it: scaled by a power of two, squared and summed with
 * their rounding errors kept, then corrected once after the square root.
 */
function vectorNorm(values: number[], max: number, foundNaN: boolean): number {
  if (max === Infinity) return max;
  if (foundNaN) return NaN;
  if (max === 0 || values.length <= 1) return max;
  const maxExponent = exponentOf(max);
  if (maxExponent < -1023) {
    // Scaling a subnormal maximum up by 2 ** -maxExponent would overflow
    // the power of two, so first move everything into the normal range.
    const minNormal = 2.2250738585072014e-308;
    const scaled = values.map((v) => v / minNormal);
    return minNormal * vectorNorm(scaled, max / minNormal, foundNaN);
  }
  const scale = maxExponent <= 1022
    ? powerOfTwoFrom(-maxExponent)
    : ldexp(1, -maxExponent);
  let sum = 1;
  let fraction1 = 0;
  let fraction2 = 0;
  for (let i = 0; i < values.length; i++) {
    const square = squareWithError(values[i] * scale);
    const total = sum + square;
    fraction2 += sum - total + square;
    sum = total;
    fraction1 += squareError;
  }
  let h = Math.sqrt(sum - 1 + (fraction1 + fraction2));
  // -h * h is exactly the negated h * h, rounding error included.
  const square = -squareWithError(h);
  const total = sum + square;
  fraction2 += sum - total + square;
  sum = total;
  fraction1 -= squareError;
  const x = sum - 1 + (fraction1 + fraction2);
  h += x / (2 * h);
  return h / scale;
}

/** The norm of the absolute values of `values`, which it overwrites. */
function norm(values: number[]): number {
  let max = 0;
  let foundNaN = false;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    foundNaN ||= Number.isNaN(a);
    if (a > max) max = a;
    values[i] = a;
  }
  return vectorNorm(values, max, foundNaN);
}

/** `math.hypot(*coordinates)`. */
export function hypot(args: readonly PyValue[]): number {
  const values = new Array<number>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = toFloat(args[i]);
  return norm(values);
}

/** `math.dist(p, q)`: the distance between two points. */
export function dist(p: PyValue, q: PyValue): number {
  const ps = iterate(p);
  const qs = iterate(q);
  if (ps.length !== qs.length) {
    throw makePyException(
      "ValueError",
      "both points must have the same number of dimensions",
    );
  }
  return norm(ps.map((item, i) => toFloat(item) - toFloat(qs[i])));
}

/** `math.prod(iterable, start=1)`: the product, multiplied left to right. */
export function prod(iterable: PyValue, start: PyValue): PyValue {
  let result = start;
  // Each step is Python's `*`, with its limits and errors.
  for (const item of iterate(iterable)) result = binaryOp("*", result, item);
  return result;
}
