/**
 * Limits that keep one evaluation small and quick.
 *
 * Big-integer arithmetic can make a short expression ask for gigabytes
 * (`10**10**8`) or minutes of work. Every operation that can be costly
 * estimates the size of its result and the time it will take *before* doing
 * it; the estimates are charged against a per-evaluation budget, so chains
 * such as `2**100000 * 2**100000 * ...` are bounded too. The cost model was
 * measured on V8's `bigint`: microseconds, rounded up.
 *
 * The budget is module state, reset by `resetBudget()` at the start of each
 * evaluation; evaluations run one at a time on the event loop, so they never
 * share it. A trial evaluation, which gives up on dear work so that another
 * way can do it, gets a tenth of it from `resetTrialBudget()`.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";

/** The most bits an int result may have (16 MiB of digits). */
export const MAX_INT_BITS = 2 ** 27;

/** The most items a tuple may have. */
export const MAX_TUPLE_ITEMS = 1_000_000;

/** The estimated work one evaluation may do, in microseconds. */
export const WORK_BUDGET_MICROS = 10_000;

/** Ints below this magnitude are cheap enough to be free. */
const CHEAP_INT = 1n << 1000n;
const MINUS_CHEAP_INT = -CHEAP_INT;

/** Microseconds per bit for linear work (copy, add, compare). */
const LINEAR_MICROS_PER_BIT = 2.5e-5;

/**
 * The budget of a trial evaluation, one that may be given up and done again
 * another way: small, so that the work thrown away is never much.
 */
export const TRIAL_BUDGET_MICROS = 1_000;

/**
 * Thrown, instead of `LimitError`, when a trial evaluation would exceed its
 * budget: the expression is not over the limit, only too dear to try.
 */
export const OVER_TRIAL_BUDGET: unique symbol = Symbol("over trial budget");

let spentMicros = 0;
let budgetMicros = WORK_BUDGET_MICROS;

/** Starts a fresh work budget; `evaluate()` calls it for each expression. */
export function resetBudget(): void {
  spentMicros = 0;
  budgetMicros = WORK_BUDGET_MICROS;
}

/**
 * Starts a fresh budget for a trial evaluation, which stops with
 * {@linkcode OVER_TRIAL_BUDGET} past {@linkcode TRIAL_BUDGET_MICROS}.
 */
export function resetTrialBudget(): void {
  spentMicros = 0;
  budgetMicros = TRIAL_BUDGET_MICROS;
}

/**
 * Charges `micros` of estimated work done by `what` (an operator or a
 * function name), raising `LimitError` when the budget would be exceeded.
 */
export function chargeWork(micros: number, what: string): void {
  spentMicros += micros;
  if (spentMicros > budgetMicros) overBudget(what);
}

function overBudget(what: string): never {
  if (budgetMicros < WORK_BUDGET_MICROS) throw OVER_TRIAL_BUDGET;
  const ms = formatAmount(spentMicros / 1000);
  throw makePyException(
    "LimitError",
    `work limit exceeded at ${what}: the expression needs about ${ms} ms ` +
      `of big-integer arithmetic; the limit is ${WORK_BUDGET_MICROS / 1000} ms`,
  );
}

/**
 * Raises `LimitError` when an int result of `bits` bits, made by `what`, is
 * over `MAX_INT_BITS`; otherwise charges the linear cost of writing it.
 */
export function checkResultBits(bits: number, what: string): void {
  if (!(bits <= MAX_INT_BITS)) {
    throw makePyException(
      "LimitError",
      `result of ${what} would have about ${formatAmount(bits)} bits; ` +
        `the limit is ${MAX_INT_BITS} bits`,
    );
  }
  if (bits > 1000) chargeWork(bits * LINEAR_MICROS_PER_BIT, what);
}

/** Raises `LimitError` when a tuple made by `what` would be too long. */
export function checkTupleLength(items: number, what: string): void {
  if (items > MAX_TUPLE_ITEMS) {
    throw makePyException(
      "LimitError",
      `result of ${what} would have ${formatAmount(items)} items; ` +
        `the limit is ${MAX_TUPLE_ITEMS} items`,
    );
  }
  chargeWork(items * 0.01, what);
}

/** Charges linear work for an operation reading ints of these sizes. */
export function chargeLinear(a: bigint, b: bigint, what: string): void {
  if (isCheap(a) && isCheap(b)) return;
  chargeWork((bitLength(a) + bitLength(b)) * LINEAR_MICROS_PER_BIT, what);
}

/** Whether `n` is small enough that operations on it cost nothing. */
export function isCheap(n: bigint): boolean {
  return n < CHEAP_INT && n > MINUS_CHEAP_INT;
}

/**
 * Estimated microseconds to multiply ints of `aBits` and `bBits` bits:
 * schoolbook for small operands, Karatsuba-like beyond.
 */
export function multiplyMicros(aBits: number, bBits: number): number {
  const small = Math.max(64, Math.min(aBits, bBits));
  const large = Math.max(aBits, bBits, 64);
  const schoolbook = large * small * 2.4e-7;
  const fast = large * Math.log2(small) * 8e-4;
  return Math.min(schoolbook, fast);
}

/** Estimated microseconds to divide an `aBits` int by a `bBits` int. */
export function divideMicros(aBits: number, bBits: number): number {
  const quotientBits = Math.max(0, aBits - bBits) + 1;
  return quotientBits * Math.max(bBits, 64) * 4e-8 + aBits * 1e-4;
}

/** Estimated microseconds for `**` producing an int of `bits` bits. */
export function powerMicros(bits: number): number {
  return bits * Math.log2(Math.max(bits, 2)) * 8e-4;
}

/**
 * Number of bits in `|n|` (0 for 0), like Python's `int.bit_length()`,
 * in time that does not grow with the size of `n` for small ints.
 */
export function bitLength(n: bigint): number {
  if (n < 0n) n = -n;
  const approx = Number(n);
  if (approx !== Infinity) return floatBitLength(n, approx);

  // Shifting past the top costs nothing, so search down from the limit.
  let low = 0;
  let high = MAX_INT_BITS * 4;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if ((n >> BigInt(mid)) === 0n) high = mid;
    else low = mid;
  }
  return high;
}

/** Holds a float, to read its exponent and fraction bits. */
const FLOAT_BITS = new DataView(new ArrayBuffer(8));

/**
 * The bit length of `n`, from `approx = Number(n)`, finite: the float's
 * exponent, read from its bits. Rounding to the nearest float can change
 * the exponent only by rounding up to a power of two, so only then is `n`
 * compared with it.
 */
function floatBitLength(n: bigint, approx: number): number {
  if (approx === 0) return 0;
  FLOAT_BITS.setFloat64(0, approx);
  const high = FLOAT_BITS.getUint32(0);
  const exponent = (high >>> 20) - 1023;
  const isPowerOfTwo = (high & 0xfffff) === 0 &&
    FLOAT_BITS.getUint32(4) === 0;
  if (!isPowerOfTwo || approx <= 2 ** 53) return exponent + 1;
  return n < 1n << BigInt(exponent) ? exponent : exponent + 1;
}

function formatAmount(x: number): string {
  if (x < 1e15) return String(Math.round(x));
  return x.toExponential(2);
}
