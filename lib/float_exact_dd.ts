/**
 * Double-double arithmetic: a value held as an unevaluated sum `hi + lo` of
 * two floats, with about 106 bits, built from the exact error-free
 * transformations of a sum and a product (Knuth's two-sum, Dekker's
 * product with Veltkamp's split, since JavaScript has no fused
 * multiply-add). Also the test that decides whether such a value, known to
 * within a relative error bound, rounds to one float for certain.
 *
 * @module
 */

const SPLITTER = 134217729; // 2 ** 27 + 1

/** The rounding error of `s = a + b`: `a + b === s + twoSumLow(a, b, s)`. */
export function twoSumLow(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/**
 * The rounding error of `p = a * b`: `a * b === p + twoProdLow(a, b, p)`,
 * exactly, for |a|, |b| below 2 ** 995 and no underflow.
 */
export function twoProdLow(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/**
 * Whether `hi + lo`, whose true value lies within `bound` of it, rounds
 * to `hi` for certain. `hi` must be `hi + lo` rounded. Both ends of the
 * interval of doubt are rounded: when they round to `hi`, so does every
 * value between them.
 */
export function roundsSurely(hi: number, lo: number, bound: number): boolean {
  return hi + (lo + bound) === hi && hi + (lo - bound) === hi;
}

/** 2 ** k for integers k from -1074 to 1023, exact. */
export const POW2: (k: number) => number = (() => {
  const table = new Float64Array(1023 + 1075);
  let p = 1;
  for (let k = 0; k <= 1023; k++, p *= 2) table[k + 1074] = p;
  p = 1;
  for (let k = 0; k >= -1074; k--, p /= 2) table[k + 1074] = p;
  return (k: number) => table[k + 1074];
})();

/** `x * 2 ** k` for a normal result or an overflow to infinity, exactly. */
export function scaleByPowerOfTwo(x: number, k: number): number {
  if (k > 1023) return x * POW2(1023) * POW2(k - 1023);
  return x * POW2(k);
}

/**
 * A BigInt fixed-point value `n * 2 ** -bits` as a double-double
 * `[hi, lo]`, for constants computed at load time.
 */
export function fixedToDouble(n: bigint, bits: number): [number, number] {
  const hi = Number(n);
  const lo = Number(n - BigInt(hi));
  // Scaling in two steps keeps 2 ** -bits within range for bits up to 2000.
  const scale = (x: number) =>
    x * POW2(-(bits >> 1)) * POW2(-(bits - (bits >> 1)));
  return [scale(hi), scale(lo)];
}

/**
 * The low part of the last {@linkcode mulAdd}'s result. A module variable
 * rather than a returned pair, so the hot paths allocate nothing; read it
 * straight after the call.
 */
export let mulAddLow = 0;

/**
 * (ah + al)(bh + bl) + (ch + cl) in double-double arithmetic: returns the
 * high part and leaves the low part in {@linkcode mulAddLow}.
 */
export function mulAdd(
  ah: number,
  al: number,
  bh: number,
  bl: number,
  ch: number,
  cl: number,
): number {
  const p = ah * bh;
  const pe = twoProdLow(ah, bh, p) + (ah * bl + al * bh);
  const s = p + ch;
  const se = twoSumLow(p, ch, s) + pe + cl;
  const h = s + se;
  mulAddLow = se - (h - s);
  return h;
}
