/**
 * Exact operations on the bits of IEEE 754 doubles, the C library functions
 * CPython's `math` module relies on and JavaScript lacks: `frexp`, `ldexp`,
 * `nextafter`, `copysign`, `remainder`. Every result is exact or correctly
 * rounded, subnormals included.
 *
 * @module
 */

const BUFFER = new DataView(new ArrayBuffer(8));

/** The 64 bits of a double as an unsigned bigint. */
function toBits(x: number): bigint {
  BUFFER.setFloat64(0, x);
  return BUFFER.getBigUint64(0);
}

/** The double whose 64 bits are `bits`. */
function fromBits(bits: bigint): number {
  BUFFER.setBigUint64(0, bits);
  return BUFFER.getFloat64(0);
}

/** Whether the sign bit of `x` is set, as C's `signbit` (NaN included). */
export function signBit(x: number): boolean {
  BUFFER.setFloat64(0, x);
  return (BUFFER.getUint8(0) & 0x80) !== 0;
}

/** `x` with the sign of `y`, as C's `copysign`. */
export function copysign(x: number, y: number): number {
  const bits = toBits(x) & 0x7fff_ffff_ffff_ffffn;
  return fromBits(signBit(y) ? bits | 0x8000_0000_0000_0000n : bits);
}

/**
 * `2 ** k` exactly, for `k` from -1074 (the smallest subnormal) to 1023;
 * `0` below and `Infinity` above.
 */
export function powerOfTwo(k: number): number {
  if (k > 1023) return Infinity;
  if (k < -1074) return 0;
  if (k >= -1022) return fromBits(BigInt(k + 1023) << 52n);
  return fromBits(1n << BigInt(k + 1074));
}

/**
 * Splits a finite nonzero `x` into a mantissa in [0.5, 1) and an exponent
 * with `x == mantissa * 2 ** exponent`, as C's `frexp`; zeros, infinities
 * and NaN come back unchanged with exponent 0.
 */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  const bits = toBits(x);
  let biased = Number((bits >> 52n) & 0x7ffn);
  let scaled = x;
  if (biased === 0) {
    // A subnormal: scale it into the normal range first, which is exact.
    scaled = x * powerOfTwo(64);
    biased = Number((toBits(scaled) >> 52n) & 0x7ffn) - 64;
  }
  const exponent = biased - 1022;
  const mantissaBits = (toBits(scaled) & 0x800f_ffff_ffff_ffffn) |
    (1022n << 52n);
  return [fromBits(mantissaBits), exponent];
}

/**
 * `x * 2 ** k` correctly rounded, as C's `ldexp`: exact unless the result
 * is subnormal, where it rounds once, to nearest with ties to even.
 */
export function ldexp(x: number, k: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const [mantissa, exponent] = frexp(x);
  // Clamping keeps the sums below exact while still over- or underflowing.
  const target = exponent + Math.max(-5000, Math.min(5000, k));
  if (target > 1024) return copysign(Infinity, x);
  if (target === 1024) {
    // 2 ** 1024 is no double, so take two exact steps; the second may
    // overflow to infinity, as it should.
    return mantissa * powerOfTwo(1023) * 2;
  }
  if (target >= -1021) return mantissa * powerOfTwo(target);
  if (target < -1075) return copysign(0, x);
  // Subnormal: scale exactly to units of 2 ** -1074, then round once.
  return mantissa * powerOfTwo(target + 1074) * powerOfTwo(-1074);
}

/** The next double after `x` in the direction of `y`, as C's `nextafter`. */
export function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) return copysign(powerOfTwo(-1074), y);
  const bits = toBits(x);
  // Moving away from zero increments the magnitude bits, whatever the sign.
  const away = (y > x) === (x > 0);
  return fromBits(away ? bits + 1n : bits - 1n);
}

/** The value of the least significant bit of `x`, as `math.ulp`. */
export function ulp(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  if (a === Infinity) return a;
  const up = nextafter(a, Infinity);
  if (up === Infinity) return a - nextafter(a, -Infinity);
  return up - a;
}

/**
 * C's `fmod`: `x - n * y` for the integer `n` truncating `x / y`, with the
 * sign of `x`. JavaScript's `%` on numbers is exactly this operation.
 */
export function fmod(x: number, y: number): number {
  return x % y;
}

/**
 * The IEEE 754 remainder `x - n * y` for the integer `n` nearest `x / y`,
 * ties to even, computed exactly; NaN for the invalid cases.
 */
export function remainder(x: number, y: number): number {
  if (Number.isNaN(x)) return x;
  if (Number.isNaN(y)) return y;
  if (!Number.isFinite(x) || y === 0) return NaN;
  if (!Number.isFinite(y)) return x;

  const absX = Math.abs(x);
  const absY = Math.abs(y);
  const m = absX % absY;
  // Comparing m with absY - m, not with absY / 2, avoids the rounding that
  // halving a tiny absY would bring; absY - m is exact whenever it matters.
  const complement = absY - m;
  let r: number;
  if (m < complement) r = m;
  else if (m > complement) r = -complement;
  else {
    // A tie: (absX - m) / 2 is an exact multiple of absY, whose parity
    // tells whether the quotient is even (keep m) or odd (use -m).
    r = m - 2 * ((0.5 * (absX - m)) % absY);
  }
  return copysign(1, x) * r;
}
