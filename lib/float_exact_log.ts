/**
 * Correctly rounded `log` and `log2`, and `log10` as glibc computes it.
 *
 * The fast path works in double-double: x = 2 ** e * m with m in
 * [sqrt(1/2), sqrt(2)), m rounded to the nearest multiple of 1/256, m_i,
 * and c_i = 1/m_i as a float; then log x = e ln2 - log c_i + log(1 + z)
 * with z = m c_i - 1 exact in two floats and |z| below 2 ** -8.4. The
 * table of -log c_i is computed exactly at load time, log(1 + z) by its
 * series, the first terms in double-double. The relative error stays below
 * 2 ** -85; when that leaves the rounding in doubt, the exact BigInt path
 * of `float_exact_big.ts` decides with ever more bits.
 *
 * @module
 */

import { ln2Fixed, logFixed, roundByZiv } from "./float_exact_big.ts";
import { decompose } from "./float_exact_bits.ts";
import { highWord, withHighWord } from "./float_like_glibc_words.ts";
import {
  fixedToDouble,
  mulAdd,
  mulAddLow,
  roundsSurely,
  twoProdLow,
  twoSumLow,
} from "./float_exact_dd.ts";

/** The relative error bound of `logKernel`'s result, for x not 1. */
const LOG_KERNEL_BOUND = 2 ** -82;

const TABLE_BITS = 140;
const FIRST = -76;
const LAST = 107;
const RECIPROCAL = new Float64Array(LAST - FIRST + 1);
const MINUS_LOG_HI = new Float64Array(LAST - FIRST + 1);
const MINUS_LOG_LO = new Float64Array(LAST - FIRST + 1);
for (let i = FIRST; i <= LAST; i++) {
  const c = 1 / (1 + i / 256);
  RECIPROCAL[i - FIRST] = c;
  const [m, e] = decompose(c);
  [MINUS_LOG_HI[i - FIRST], MINUS_LOG_LO[i - FIRST]] = fixedToDouble(
    -logFixed(m, e, TABLE_BITS),
    TABLE_BITS,
  );
}

// ln2 in three parts, the first two of 42 bits, so that e times them is
// exact for |e| below 2 ** 11.
const [LN2_A, LN2_B, LN2_C] = (() => {
  const bits = 200;
  const ln2 = ln2Fixed(bits);
  const a = ln2 >> BigInt(bits - 42);
  const rest = ln2 - (a << BigInt(bits - 42));
  const b = rest >> BigInt(bits - 84);
  const c = rest - (b << BigInt(bits - 84));
  return [Number(a) / 2 ** 42, Number(b) / 2 ** 84, fixedToDouble(c, bits)[0]];
})();
const [THIRD_HI, THIRD_LO] = fixedToDouble((1n << 120n) / 3n, 120);
const SQRT2 = Math.SQRT2;

/** Where the kernel puts the low part of its result. */
interface LogParts {
  lo: number;
}

/**
 * log x as `hi + out.lo` for a finite x > 0, within a relative error of
 * `LOG_KERNEL_BOUND` (and exactly 0 for x = 1).
 */
function logKernel(x: number, out: LogParts): number {
  let e = 0;
  if (x < 2 ** -1022) {
    x *= 2 ** 54;
    e = -54;
  }
  const word = highWord(x);
  e += (word >>> 20) - 1023;
  let m = withHighWord(x, (word & 0x000fffff) | 0x3ff00000);
  if (m > SQRT2) {
    m *= 0.5;
    e += 1;
  }

  const i = Math.round((m - 1) * 256);
  const c = RECIPROCAL[i - FIRST];
  const p = m * c;
  const p1 = p - 1;
  const pe = twoProdLow(m, c, p);
  const zh = p1 + pe;
  const zl = twoSumLow(p1, pe, zh);

  // log(1 + z) = z (1 + z (-1/2 + z (1/3 + z (-1/4 + z d)))).
  const d = 1 / 5 + zh * (-1 / 6 + zh * (1 / 7 + zh * (-1 / 8 + zh * (1 / 9 +
                    zh * (-1 / 10 + zh * (1 / 11 - zh / 12))))));
  let h = mulAdd(zh, zl, -0.25 + zh * d, 0, THIRD_HI, THIRD_LO);
  h = mulAdd(zh, zl, h, mulAddLow, -0.5, 0);
  h = mulAdd(zh, zl, h, mulAddLow, 1, 0);
  h = mulAdd(zh, zl, h, mulAddLow, 0, 0);
  const l = mulAddLow;

  // e ln2 + (-log c) + log(1 + z), largest terms first.
  const ea = e * LN2_A;
  const th = MINUS_LOG_HI[i - FIRST];
  const s = ea + th;
  const low = twoSumLow(ea, th, s) + e * LN2_B + e * LN2_C +
    MINUS_LOG_LO[i - FIRST];
  const s2 = s + h;
  const low2 = twoSumLow(s, h, s2) + low + l;
  const hi = s2 + low2;
  out.lo = low2 - (hi - s2);
  return hi;
}

const parts: LogParts = { lo: 0 };

/** The value of a finite positive float `x`'s special cases, or undefined. */
function special(x: number): number | undefined {
  if (x > 0 && x < Infinity) return undefined;
  if (x === 0) return -Infinity;
  return x > 0 ? x : NaN;
}

/** `log(x)`, correctly rounded. */
export function exactLog(x: number): number {
  const early = special(x);
  if (early !== undefined) return early;
  const hi = logKernel(x, parts);
  if (roundsSurely(hi, parts.lo, Math.abs(hi) * LOG_KERNEL_BOUND)) return hi;
  const [m, e] = decompose(x);
  return roundByZiv((precision) => {
    const w = precision + 128;
    return [logFixed(m, e, w), -w, 8n];
  });
}

const [INV_LN2_HI, INV_LN2_LO] = fixedToDouble(
  (1n << 240n) / ln2Fixed(120),
  120,
);
/**
 * log x times a double-double constant, correctly rounded, the slow path
 * dividing by `divisor(w)`, the constant's reciprocal with w bits.
 */
function scaledLog(
  x: number,
  ch: number,
  cl: number,
  divisor: (w: number) => bigint,
): number {
  const early = special(x);
  if (early !== undefined) return early;
  const lh = logKernel(x, parts);
  const p = lh * ch;
  const pe = twoProdLow(lh, ch, p) + lh * cl + parts.lo * ch;
  const hi = p + pe;
  const lo = pe - (hi - p);
  if (roundsSurely(hi, lo, Math.abs(hi) * LOG_KERNEL_BOUND * 2)) return hi;
  const [m, e] = decompose(x);
  return roundByZiv((precision) => {
    const w = precision + 128;
    const q = (logFixed(m, e, w) << BigInt(w)) / divisor(w);
    return [q, -w, 16n];
  });
}

/** `log2(x)`, correctly rounded. */
export function exactLog2(x: number): number {
  return scaledLog(x, INV_LN2_HI, INV_LN2_LO, ln2Fixed);
}

// log10(2) cut to 43 fraction bits, so that its product with a binary
// exponent is exact, and the rest; and 1/ln(10).
const LOG10_2_FIXED = logFixed(2n, 0, 200) * (1n << 200n) /
  logFixed(10n, 0, 200);
const LOG10_2_HI = Number(LOG10_2_FIXED >> 157n) / 2 ** 43;
const LOG10_2_LO = fixedToDouble(
  LOG10_2_FIXED - ((LOG10_2_FIXED >> 157n) << 157n),
  200,
)[0];
const INV_LN10 = fixedToDouble((1n << 400n) / logFixed(10n, 0, 200), 200)[0];

/**
 * `log10(x)` as glibc computes it (the method of Sun's fdlibm, which
 * glibc keeps): with x = m 2 ** k, m in [1, 2) for k >= 0 and in [1/2, 1)
 * otherwise, log10 x = k hi + (k lo + log(m) / ln 10) in plain floats,
 * hi + lo being log10(2) split as above. glibc's log is correctly rounded
 * but in rare cases, so this agrees with CPython nearly always, while the
 * correctly rounded log10 would differ in one call in sixteen.
 */
export function log10LikeGlibc(x: number): number {
  const early = special(x);
  if (early !== undefined) return early;
  let k = 0;
  if (x < 2 ** -1022) {
    x *= 2 ** 54;
    k = -54;
  }
  const word = highWord(x);
  k += (word >>> 20) - 1023;
  const top = k < 0 ? 0x3fe00000 : 0x3ff00000;
  const m = withHighWord(x, (word & 0x000fffff) | top);
  if (k < 0) k += 1;
  const z = k * LOG10_2_LO + INV_LN10 * exactLog(m);
  return z + k * LOG10_2_HI;
}
