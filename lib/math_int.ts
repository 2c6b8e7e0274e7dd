/**
 * The integer functions of the `math` module: `factorial`, `comb`, `perm`,
 * `gcd`, `lcm` and `isqrt`, exact on unbounded ints, with CPython 3.11's
 * errors and the calculator's own limits on work.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { bitLength, chargeWork, isCheap } from "./limits.ts";
import { halvingGcd } from "./halving_gcd.ts";
import { toIndex } from "./py_convert.ts";
import { PyException, type PyValue } from "./py_value.ts";

/**
 * The largest result, in bits, that `factorial` and `perm` will compute.
 * Measured on the reference machine: CPython 3.11 passes 10 ms at about
 * 330,000 bits (`factorial(25000)`, 10.3 ms; `factorial(23000)`, 300,000
 * bits, 8.6 ms), while Deno computes `factorial(25000)` in about 4 ms.
 */
export const MAX_PRODUCT_BITS = 340_000;

/**
 * The largest numerator, in bits, that `comb` will build. Its exact
 * division makes it dearer than a product of the same size: Deno takes
 * about 8 ms at this limit, 9 ms at 330,000 bits. CPython's `comb` is
 * slower still, 10 ms at a numerator of about 200,000 bits
 * (`comb(10**9, 6500)`) and 24 ms at 340,000 (`comb(10**5, 20000)`), so
 * nothing it answers within 10 ms is refused.
 */
export const MAX_COMB_BITS = 300_000;

/**
 * The largest argument, in bits, that `isqrt` accepts. CPython 3.11 takes
 * 10 ms at about 150,000 bits; Deno takes about 7 ms at this limit.
 */
export const MAX_ISQRT_BITS = 400_000;

/**
 * The largest argument, in bits, that `gcd` and `lcm` accept, and the
 * largest `lcm` they build. At this size our gcd (`halving_gcd.ts`) takes
 * 7.5 to 9.8 ms (medians by kind of input), and CPython's 10 to 12 ms, as
 * measured here; on a quiet machine CPython passes 10 ms about here.
 */
export const MAX_GCD_BITS = 135_000;

/**
 * Measured costs, in microseconds per result bit, charged to the shared
 * work budget of `limits.ts` so that chains of calls stay bounded too.
 */
const PRODUCT_MICROS_PER_BIT = 0.02;
const COMB_MICROS_PER_BIT = 0.03;
const ISQRT_MICROS_PER_BIT = 0.02;
/**
 * The gcd costs about `n * log2(n)**2` for `n`-bit ints: microseconds per
 * such unit, from measurements; at the 135,000-bit limit that charges
 * 9.8 ms, the slowest median measured there.
 */
const GCD_MICROS_PER_UNIT = 2.5e-4;

/** `LLONG_MAX`, the bound CPython puts on `k` in `comb` and `perm`. */
const LLONG_MAX = 9223372036854775807n;

function limitError(what: string, bits: number, limit: number): PyException {
  return makePyException(
    "LimitError",
    `${what} would have about ${Math.round(bits)} bits; ` +
      `the limit is ${limit} bits`,
  );
}

/** log2(n!) estimated from Stirling's formula, for limit checks only. */
function log2Factorial(n: number): number {
  if (n < 2) return 0;
  return (n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n)) /
    Math.LN2;
}

/** The product lo * (lo + 1) * ... * (hi - 1), by binary splitting. */
function rangeProduct(lo: bigint, hi: bigint): bigint {
  const count = hi - lo;
  if (count <= 0n) return 1n;
  if (count <= 16n) {
    return lo >= 0n && hi <= SMALL_FACTOR_LIMIT
      ? smallRangeProduct(Number(lo), Number(hi))
      : bigRangeProduct(lo, hi);
  }
  // Balanced halves let the bigint multiplier use its fast algorithms.
  const mid = lo + count / 2n;
  return rangeProduct(lo, mid) * rangeProduct(mid, hi);
}

/** Up to this `n`, `factorial(n)` is one run of float-batched products. */
const SMALL_FACTORIAL = 200n;

/** Factors below this are multiplied as floats, exactly, while they can. */
const SMALL_FACTOR_LIMIT = 1n << 26n;

/**
 * The product of `lo..hi-1` for small factors: runs of them are multiplied
 * as floats while the product stays exact, which saves most bigint steps.
 */
function smallRangeProduct(lo: number, hi: number): bigint {
  let product = 1n;
  let run = 1;
  for (let k = lo; k < hi; k++) {
    if (run * k > Number.MAX_SAFE_INTEGER) {
      product *= BigInt(run);
      run = k;
    } else {
      run *= k;
    }
  }
  return product * BigInt(run);
}

function bigRangeProduct(lo: bigint, hi: bigint): bigint {
  let p = lo;
  for (let k = lo + 1n; k < hi; k++) p *= k;
  return p;
}

/** `math.factorial(n)`, with CPython's errors. */
export function factorial(value: PyValue): bigint {
  const n = toIndex(value);
  if (n > LLONG_MAX) {
    throw makePyException(
      "OverflowError",
      `factorial() argument should not exceed ${LLONG_MAX}`,
    );
  }
  if (n < 0n) {
    throw makePyException(
      "ValueError",
      "factorial() not defined for negative values",
    );
  }
  const bits = log2Factorial(Number(n));
  if (bits > MAX_PRODUCT_BITS) {
    throw limitError(`factorial(${n})`, bits, MAX_PRODUCT_BITS);
  }
  chargeWork(bits * PRODUCT_MICROS_PER_BIT, "math.factorial()");
  // Small factorials skip the splitting, whose bigint bookkeeping would
  // cost more than the few products it balances.
  if (n <= SMALL_FACTORIAL) return smallRangeProduct(2, Number(n) + 1);
  return rangeProduct(2n, n + 1n);
}

/** Converts `n` and `k` and checks their signs, as `comb` and `perm` do. */
function combinatoricArguments(n: PyValue, k: PyValue): [bigint, bigint] {
  const bn = toIndex(n);
  const bk = toIndex(k);
  if (bn < 0n) {
    throw makePyException("ValueError", "n must be a non-negative integer");
  }
  if (bk < 0n) {
    throw makePyException("ValueError", "k must be a non-negative integer");
  }
  return [bn, bk];
}

/** log2 of n * (n - 1) * ... * (n - k + 1), bounded above, for limits. */
function log2FallingFactorial(n: bigint, k: bigint): number {
  return Number(k) * bitLength(n);
}

/** `math.perm(n, k)` for a given `k`, with CPython's errors. */
export function perm(n: PyValue, k: PyValue): bigint {
  const [bn, bk] = combinatoricArguments(n, k);
  if (bn < bk) return 0n;
  if (bk > LLONG_MAX) {
    throw makePyException(
      "OverflowError",
      `k must not exceed ${LLONG_MAX}`,
    );
  }
  const bits = Math.min(
    log2FallingFactorial(bn, bk),
    log2Factorial(Number(bn)),
  );
  if (bits > MAX_PRODUCT_BITS) {
    throw limitError(`perm(${bn}, ${bk})`, bits, MAX_PRODUCT_BITS);
  }
  chargeWork(bits * PRODUCT_MICROS_PER_BIT, "math.perm()");
  return rangeProduct(bn - bk + 1n, bn + 1n);
}

/** `math.comb(n, k)`, with CPython's errors. */
export function comb(n: PyValue, k: PyValue): bigint {
  const [bn, bk] = combinatoricArguments(n, k);
  const rest = bn - bk;
  if (rest < 0n) return 0n;
  const small = rest < bk ? rest : bk;
  if (small > LLONG_MAX) {
    throw makePyException(
      "OverflowError",
      `min(n - k, k) must not exceed ${LLONG_MAX}`,
    );
  }
  // The numerator n * ... * (n - small + 1) is the largest value built.
  const bits = log2FallingFactorial(bn, small);
  if (bits > MAX_COMB_BITS) {
    throw limitError(`comb(${bn}, ${bk})`, bits, MAX_COMB_BITS);
  }
  chargeWork(bits * COMB_MICROS_PER_BIT, "math.comb()");
  if (bits < 53) return BigInt(smallComb(Number(bn), Number(small)));
  return rangeProduct(bn - small + 1n, bn + 1n) /
    rangeProduct(2n, small + 1n);
}

/**
 * `comb(n, k)` when the numerator `n * ... * (n - k + 1)` stays below
 * 2**53, so that every float step is exact: each `c` is `comb(n, i)`, and
 * `c * (n - i)` is divisible by `i + 1`.
 */
function smallComb(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = c * (n - i) / (i + 1);
  return c;
}

function checkArgumentSize(what: string, n: bigint, limit: number): void {
  // Every limit is above the 1000 bits of a cheap int.
  if (isCheap(n)) return;
  const bits = bitLength(n);
  if (bits > limit) {
    throw makePyException(
      "LimitError",
      `${what} of a ${bits}-bit int would take too long; ` +
        `the limit is ${limit} bits`,
    );
  }
}

/** `math.isqrt(n)`: the floor of the exact square root. */
export function isqrt(value: PyValue): bigint {
  const n = toIndex(value);
  if (n < 0n) {
    throw makePyException("ValueError", "isqrt() argument must be nonnegative");
  }
  if (n < FLOAT_EXACT_LIMIT) return BigInt(floatIsqrt(Number(n)));
  checkArgumentSize("isqrt()", n, MAX_ISQRT_BITS);
  chargeWork(bitLength(n) * ISQRT_MICROS_PER_BIT, "math.isqrt()");
  if (n < ONE_STEP_LIMIT) return oneStepIsqrt(n);
  if (n < FLOAT_SQRT_LIMIT) return floatStartIsqrt(n);
  // Newton's method with precision doubling: a is the square root of the
  // top 2 * d bits of n, within one, and each step doubles d.
  const c = BigInt((bitLength(n) - 1) >> 1);
  let a = 1n;
  let d = 0n;
  for (let s = bitLength(c) - 1; s >= 0; s--) {
    const e = d;
    d = c >> BigInt(s);
    a = (a << (d - e - 1n)) + (n >> (2n * c - e - d + 1n)) / a;
  }
  return a * a > n ? a - 1n : a;
}

/** Below this, `isqrt` is worked in floats, every step exact. */
const FLOAT_EXACT_LIMIT = 1n << 52n;

/**
 * `isqrt(x)` for an integer `0 <= x < 2**52`: the float square root,
 * floored. It cannot round up to the next integer `r + 1`: below it, the
 * root of an integer is at least `1 / (2 * (r + 1))`, at least 2**-27 here,
 * away from it, more than half a float's spacing there.
 */
function floatIsqrt(x: number): number {
  return Math.floor(Math.sqrt(x));
}

/** Below this, one Newton step from the float square root is enough. */
const ONE_STEP_LIMIT = 1n << 200n;

/**
 * `isqrt(n)` for `0 < n < 2**200`. The float square root `x`, rounded up,
 * is within a relative 2**-52 of the true root `r`, so one integer Newton
 * step, which never falls below `floor(r)` and overshoots `r` by less than
 * `(x - r)**2 / (2 * x) < 1`, lands on `floor(r)` or one above it.
 */
function oneStepIsqrt(n: bigint): bigint {
  const x = BigInt(Math.ceil(Math.sqrt(Number(n))));
  const y = (x + n / x) >> 1n;
  return y * y > n ? y - 1n : y;
}

/** Below this, `Math.sqrt()` gives `isqrt` a start good to 50 bits. */
const FLOAT_SQRT_LIMIT = 1n << 1000n;

/**
 * `isqrt(n)` for `0 < n < 2**1000`: Newton's integer iteration, which
 * falls monotonically to the floor of the square root from any start at or
 * above it, begun just above the float square root, which is within a
 * relative 2**-51 of the true one, so that only a few steps remain.
 */
function floatStartIsqrt(n: bigint): bigint {
  const guess = BigInt(Math.ceil(Math.sqrt(Number(n))));
  let x = guess + (guess >> 48n) + 1n;
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The gcd of two ints: Euclid's in floats when both are small enough. */
function gcdOfTwo(a: bigint, b: bigint): bigint {
  if (isSafe(a) && isSafe(b)) {
    return BigInt(smallGcd(Math.abs(Number(a)), Math.abs(Number(b))));
  }
  const bits = Math.min(bitLength(a), bitLength(b));
  const units = bits * Math.log2(Math.max(bits, 2)) ** 2;
  chargeWork(units * GCD_MICROS_PER_UNIT, "math.gcd()");
  return halvingGcd(a < 0n ? -a : a, b < 0n ? -b : b);
}

/** Whether `n` converts to a float exactly, so float arithmetic can serve. */
function isSafe(n: bigint): boolean {
  return n <= MAX_SAFE && n >= -MAX_SAFE;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Euclid's gcd of non-negative safe integers, in float arithmetic. */
function smallGcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** `math.gcd(*integers)`. */
export function gcd(args: readonly PyValue[]): bigint {
  const values = args.map(toIndex);
  for (const n of values) checkArgumentSize("gcd()", n, MAX_GCD_BITS);
  let result = 0n;
  for (const n of values) {
    if (result === 1n) break;
    result = gcdOfTwo(result, n);
  }
  return result;
}

/** `math.lcm(*integers)`. */
export function lcm(args: readonly PyValue[]): bigint {
  const values = args.map(toIndex);
  for (const n of values) checkArgumentSize("lcm()", n, MAX_GCD_BITS);
  if (values.length === 0) return 1n;
  let result = values[0] < 0n ? -values[0] : values[0];
  for (const n of values.slice(1)) {
    if (result === 0n) break;
    const a = n < 0n ? -n : n;
    if (a === 0n) return 0n;
    result = result / gcdOfTwo(result, a) * a;
    checkArgumentSize("lcm()", result, MAX_GCD_BITS);
  }
  return result;
}
