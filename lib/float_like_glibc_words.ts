/**
 * The 32-bit halves of a double, as glibc's code reads and writes them:
 * the high word holds the sign, the exponent and the top 20 bits of the
 * fraction. Every float function here that works on the words of a double
 * goes through these.
 * One shared buffer serves every call, so nothing is allocated.
 *
 * @module
 */

const F64 = new Float64Array(1);
const I32 = new Int32Array(F64.buffer);
// Which of the two 32-bit words holds the sign and exponent.
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/** The high word of `x` as a signed 32-bit integer, as C's `int32_t`. */
export function highWord(x: number): number {
  F64[0] = x;
  return I32[HIGH];
}

/** The low word of `x` as an unsigned 32-bit integer. */
export function lowWord(x: number): number {
  F64[0] = x;
  return I32[LOW] >>> 0;
}

/** `x` with its high word replaced by `high`, its low word kept. */
export function withHighWord(x: number, high: number): number {
  F64[0] = x;
  I32[HIGH] = high;
  return F64[0];
}
