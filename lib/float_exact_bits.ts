/**
 * The bits of a float: Python's `float.hex` format both ways, the distance
 * of two floats in units of the last place, and the exact decomposition of
 * a float into an integer times a power of two.
 *
 * @example
 * ```ts
 * import { floatToHex, hexToFloat } from "./float_exact_bits.ts";
 *
 * floatToHex(3); // "0x1.8000000000000p+1"
 * hexToFloat("0x1.8000000000000p+1"); // 3
 * ```
 *
 * @module
 */

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** The 64 bits of `x` as an unsigned integer. */
function floatBits(x: number): bigint {
  F64[0] = x;
  return U64[0];
}

/** `x` as Python's `float.hex(x)` prints it, e.g. `0x1.8000000000000p+1`. */
export function floatToHex(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  const bits = floatBits(x);
  const sign = bits >> 63n ? "-" : "";
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0 && fraction === 0n) return `${sign}0x0.0p+0`;
  const digits = fraction.toString(16).padStart(13, "0");
  const lead = biased === 0 ? 0 : 1;
  const exponent = biased === 0 ? -1022 : biased - 1023;
  const expText = exponent < 0 ? `${exponent}` : `+${exponent}`;
  return `${sign}0x${lead}.${digits}p${expText}`;
}

const HEX_PATTERN = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/;

/**
 * The float a `float.hex` string names; only the forms `floatToHex`
 * writes (and `nan`, `inf`, `-inf`) are accepted.
 */
export function hexToFloat(text: string): number {
  if (text === "nan") return NaN;
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  const match = HEX_PATTERN.exec(text);
  if (match === null) {
    throw new SyntaxError(`Cannot parse hex float "${text}"`);
  }
  const [, sign, lead, digits, exponent] = match;
  const fraction = digits === "0" ? 0n : BigInt(`0x${digits.padEnd(13, "0")}`);
  const magnitude = (Number(BigInt(lead) * 2n ** 52n + fraction) / 2 ** 52) *
    2 ** Number(exponent);
  return sign === "-" ? -magnitude : magnitude;
}

/**
 * `x` mapped to an integer that counts ulps, monotonically; both zeros map
 * to 0.
 */
function orderedBits(x: number): bigint {
  const bits = floatBits(x);
  const magnitude = bits & 0x7fffffffffffffffn;
  return bits >> 63n ? -magnitude : magnitude;
}

/** How many floats apart `a` and `b` are (infinities count as floats). */
export function ulpDistance(a: number, b: number): number {
  const d = orderedBits(a) - orderedBits(b);
  return Number(d < 0n ? -d : d);
}

/**
 * A finite nonzero `x` as `[m, e]` with `x === m * 2 ** e` exactly and
 * `m` an odd integer (negative when `x` is).
 */
export function decompose(x: number): [bigint, number] {
  const bits = floatBits(x);
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e = biased === 0 ? -1074 : biased - 1075;
  if (biased !== 0) m |= 1n << 52n;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    e += 1;
  }
  return [bits >> 63n ? -m : m, e];
}
