/**
 * Correctly rounded `exp`.
 *
 * The fast path works in double-double: x = k ln2/128 + r with |r| at most
 * ln2/256, exp(x) = 2 ** (k >> 7) * 2 ** ((k & 127) / 128) * exp(r), the
 * 128 powers 2 ** (j/128) from a table computed exactly at load time, and
 * exp(r) - 1 by its Taylor series, the first terms in double-double and
 * the small rest in plain floats. Its relative error stays below 2 ** -80;
 * when that leaves the rounding in doubt (about one call in 2 ** 25) or the
 * result is subnormal, the exact BigInt path of `float_exact_big.ts`
 * decides with ever more bits (Ziv's strategy).
 *
 * @module
 */

import {
  expFixed,
  floatToFixed,
  ln2Fixed,
  roundByZiv,
} from "./float_exact_big.ts";
import {
  fixedToDouble,
  mulAdd,
  mulAddLow,
  roundsSurely,
  scaleByPowerOfTwo,
  twoProdLow,
  twoSumLow,
} from "./float_exact_dd.ts";

/** The relative error bound of `expKernel`'s result. */
const EXP_KERNEL_BOUND = 2 ** -78;

const TABLE_BITS = 140;
const TABLE_HI = new Float64Array(128);
const TABLE_LO = new Float64Array(128);
for (let j = 0; j < 128; j++) {
  const t = (BigInt(j) * ln2Fixed(TABLE_BITS)) >> 7n;
  const [m, e] = expFixed(t, TABLE_BITS);
  [TABLE_HI[j], TABLE_LO[j]] = fixedToDouble(m, -e);
}

// ln2/128 in three parts: the first has 33 significant bits, so that k
// times it is exact for |k| below 2 ** 20.
const [STEP_1, STEP_2, STEP_3] = (() => {
  const bits = 207;
  const step = ln2Fixed(200);
  const head = step >> BigInt(bits - 40);
  const [second, third] = fixedToDouble(
    step - (head << BigInt(bits - 40)),
    bits,
  );
  return [Number(head) / 2 ** 40, second, third];
})();
const STEPS_PER_LN2 = 128 / Math.LN2;
const [SIXTH_HI, SIXTH_LO] = fixedToDouble((1n << 120n) / 6n, 120);

/** Where the kernel puts the low part and the binary exponent. */
interface ExpParts {
  lo: number;
  scale: number;
}

/**
 * exp(xh + xl) as `(hi + out.lo) * 2 ** out.scale`, within a relative
 * error of `EXP_KERNEL_BOUND`, for |xh| below 1100.
 */
function expKernel(xh: number, xl: number, out: ExpParts): number {
  const k = Math.round(xh * STEPS_PER_LN2);
  const a = xh - k * STEP_1;
  const p = k * STEP_2;
  const s = a - p;
  const rest = twoSumLow(a, -p, s) - twoProdLow(k, STEP_2, p) + xl -
    k * STEP_3;
  const rh = s + rest;
  const rl = rest - (rh - s);

  // exp(r) - 1 = r (1 + r (1/2 + r (1/6 + r e))), e in plain floats.
  const e = 1 / 24 + rh * (1 / 120 + rh * (1 / 720 + rh * (1 / 5040 +
                rh * (1 / 40320 + rh / 362880))));
  let h = mulAdd(rh, rl, e, 0, SIXTH_HI, SIXTH_LO);
  h = mulAdd(rh, rl, h, mulAddLow, 0.5, 0);
  h = mulAdd(rh, rl, h, mulAddLow, 1, 0);
  h = mulAdd(rh, rl, h, mulAddLow, 0, 0);

  const j = k & 127;
  const th = TABLE_HI[j];
  const tl = TABLE_LO[j];
  const m = th * h;
  const me = twoProdLow(th, h, m) + th * mulAddLow + tl * h;
  const sum = th + m;
  const se = twoSumLow(th, m, sum) + tl + me;
  const hi = sum + se;
  out.lo = se - (hi - sum);
  out.scale = k >> 7;
  return hi;
}

const parts: ExpParts = { lo: 0, scale: 0 };

/** The exponent of the leading bit of a finite nonzero `x`. */
function binade(x: number): number {
  return Math.floor(Math.log2(Math.abs(x)));
}

/** `exp(x)`, correctly rounded. */
export function exactExp(x: number): number {
  if (!(x > -746 && x < 710)) return Number.isNaN(x) ? x : x > 0 ? Infinity : 0;
  const hi = expKernel(x, 0, parts);
  if (
    parts.scale > -1022 &&
    roundsSurely(hi, parts.lo, hi * EXP_KERNEL_BOUND)
  ) {
    return scaleByPowerOfTwo(hi, parts.scale);
  }
  return roundByZiv((precision) => {
    const w = precision + 64 + Math.max(0, -binade(x));
    const [m, e] = expFixed(floatToFixed(x, w), w);
    return [m, e, (m >> BigInt(w - 6)) + 2n];
  });
}
