/**
 * Differential test: random expressions are answered by `evaluateToReply()`
 * and by CPython 3.11, and the replies must agree.
 *
 * Every run draws a fresh seed, prints it, and can be replayed with
 * `SOCKCALC_SEED=<seed>`. CPython answers each family in a few batches, one
 * `python3` process per batch; when a reply differs, fast-check shrinks the
 * expression, asking CPython again for each smaller candidate.
 *
 * @module
 */

import fc from "fast-check";
import { evaluateToReply } from "../lib/evaluate.ts";
import {
  EXACT_EXPRESSION,
  FLOAT_EXPRESSION,
} from "./fixtures/expression_arbitraries.ts";
import {
  hasPython,
  type PythonAnswer,
  pythonAnswers,
  pythonSubexpressions,
} from "./python_oracle.ts";

const BATCH_SIZE = 2500;
const SHRINK_TIME_LIMIT_MS = 12_000;
const LISTED_MISMATCHES = 8;
/**
 * glibc's exp, log, sin, pow and a few others round the other way from the
 * exact result in rare cases (docs/float_accuracy.md), and arithmetic on
 * such a result can carry the difference of one ulp to two.
 */
const MAX_ULPS = 2;
const HUGE_REPLY_CHARS = 100_000;
const SHOWN_REPLY_CHARS = 300;

/** A kind of random expression and how its replies are compared. */
interface Family {
  readonly name: string;
  readonly expressions: fc.Arbitrary<string>;
  readonly runs: number;
  readonly rule: string;
  agree(expr: string, ours: string, cpython: PythonAnswer): boolean;
}

const EXACT: Family = {
  name: "exact",
  expressions: EXACT_EXPRESSION,
  runs: 25_000,
  rule: "replies must be identical",
  agree: (expr, ours, cpython) =>
    ours === cpython.reply || isDeliberate(expr, ours, cpython),
};

const FLOATS: Family = {
  name: "float-function",
  expressions: FLOAT_EXPRESSION,
  runs: 8_000,
  rule: `errors must be identical, floats at most ${MAX_ULPS} ulp apart`,
  agree: (expr, ours, cpython) =>
    ours === cpython.reply || isDeliberate(expr, ours, cpython) ||
    (!isError(ours) && !isError(cpython.reply) &&
      nearlyEqual(ours, cpython.reply, MAX_ULPS)),
};

function isError(reply: string): boolean {
  return reply.startsWith("ERR ");
}

/**
 * Whether the replies differ only where the calculator differs on purpose
 * (see lib/evaluate.ts): it refuses complex numbers as soon as one appears,
 * it gives LimitError where CPython runs out of memory or prints a huge
 * value (a big tuple repetition can slip past the generator), and its `in`
 * compares with `==` only, so a NaN is never found where CPython finds the
 * very same NaN object.
 */
function isDeliberate(
  expr: string,
  ours: string,
  cpython: PythonAnswer,
): boolean {
  const complex = cpython.madeComplex ||
    (isError(cpython.reply) && cpython.reply.includes("complex"));
  if (complex) return ours.startsWith("ERR UnsupportedError: ");
  const huge = cpython.reply.startsWith("ERR MemoryError:") ||
    cpython.reply.length > HUGE_REPLY_CHARS;
  if (huge) return ours.startsWith("ERR LimitError: ");
  return expr.includes("nan") && / in /.test(expr);
}

const NUMBER = /-?(?:inf|nan|\d+(?:\.\d*)?(?:e[-+]?\d+)?)/g;

/**
 * Whether two value replies have the same shape and their numbers are equal,
 * or floats at most `maxUlps` apart.
 */
function nearlyEqual(ours: string, cpython: string, maxUlps: number): boolean {
  if (ours.replace(NUMBER, "#") !== cpython.replace(NUMBER, "#")) return false;
  const theirs = cpython.match(NUMBER) ?? [];
  return (ours.match(NUMBER) ?? []).every((token, i) =>
    token === theirs[i] || ulpsApart(token, theirs[i]) <= maxUlps
  );
}

const FLOAT_TOKEN = /^-?\d+(?:\.\d*)?(?:e[-+]?\d+)?$/;

function ulpsApart(a: string, b: string): number {
  // Ints, infinities and NaNs must match exactly.
  if (!FLOAT_TOKEN.test(a) || !FLOAT_TOKEN.test(b)) return Infinity;
  if (!/[.e]/.test(a) || !/[.e]/.test(b)) return Infinity;
  const distance = orderedBits(Number(a)) - orderedBits(Number(b));
  return Number(distance < 0n ? -distance : distance);
}

const BITS = new DataView(new ArrayBuffer(8));

/** Maps floats to integers that count ulps, monotonically, -0 just below 0. */
function orderedBits(x: number): bigint {
  BITS.setFloat64(0, x);
  const bits = BITS.getBigInt64(0);
  return bits < 0n ? -(bits & 0x7fff_ffff_ffff_ffffn) - 1n : bits;
}

/** Our reply, or a marker when `evaluateToReply()` throws instead. */
function ourReply(expr: string): string {
  try {
    return evaluateToReply(expr);
  } catch (error) {
    return `THROWN ${String(error)}`;
  }
}

/** CPython's replies, fetched in batches and remembered. */
class Oracle {
  readonly #answers = new Map<string, PythonAnswer>();

  async prefetch(exprs: readonly string[]): Promise<void> {
    const missing = [...new Set(exprs)].filter((e) => !this.#answers.has(e));
    for (let start = 0; start < missing.length; start += BATCH_SIZE) {
      const batch = missing.slice(start, start + BATCH_SIZE);
      const answers = await pythonAnswers(batch);
      batch.forEach((expr, i) => this.#answers.set(expr, answers[i]));
    }
  }

  async answer(expr: string): Promise<PythonAnswer> {
    await this.prefetch([expr]);
    return this.#answers.get(expr)!;
  }
}

interface Mismatch {
  readonly expr: string;
  readonly ours: string;
  readonly cpython: PythonAnswer;
}

function readSeed(): number {
  const text = Deno.env.get("SOCKCALC_SEED");
  if (text === undefined) return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(text);
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`Cannot use SOCKCALC_SEED "${text}": not an integer`);
  }
  return seed;
}

/**
 * Shrinks the first mismatch of the run: fast-check replays the same seed,
 * fails at the same expression, then tries smaller ones.
 */
async function shrink(
  family: Family,
  seed: number,
  oracle: Oracle,
): Promise<Mismatch | undefined> {
  let smallest: Mismatch | undefined;
  const property = fc.asyncProperty(family.expressions, async (expr) => {
    const ours = ourReply(expr);
    const cpython = await oracle.answer(expr);
    const agree = family.agree(expr, ours, cpython);
    if (!agree) smallest = { expr, ours, cpython };
    return agree;
  });
  await fc.check(property, {
    seed,
    numRuns: family.runs,
    interruptAfterTimeLimit: SHRINK_TIME_LIMIT_MS,
  });
  return smallest;
}

/**
 * The shortest subexpression of a mismatch that still disagrees: fast-check
 * shrinks the pieces of a tree but cannot replace a node by one of its
 * children, which is often what makes a counterexample small.
 */
async function smallestPart(
  family: Family,
  mismatch: Mismatch,
  oracle: Oracle,
): Promise<Mismatch> {
  const parts = await pythonSubexpressions(mismatch.expr);
  await oracle.prefetch(parts);
  for (const expr of parts) {
    const ours = ourReply(expr);
    const cpython = await oracle.answer(expr);
    if (!family.agree(expr, ours, cpython)) return { expr, ours, cpython };
  }
  return mismatch;
}

function clip(text: string): string {
  if (text.length <= SHOWN_REPLY_CHARS) return text;
  return `${text.slice(0, SHOWN_REPLY_CHARS)}... (${text.length} characters)`;
}

function describe(mismatch: Mismatch): string {
  return [
    `  expression: ${clip(mismatch.expr)}`,
    `  ours:       ${clip(mismatch.ours)}`,
    `  CPython:    ${clip(mismatch.cpython.reply)}`,
  ].join("\n");
}

function failureMessage(
  family: Family,
  seed: number,
  mismatches: readonly Mismatch[],
  smallest: Mismatch,
): string {
  const others = [...mismatches]
    .sort((a, b) => a.expr.length - b.expr.length)
    .slice(0, LISTED_MISMATCHES);
  return [
    `evaluateToReply() and CPython disagree on ${mismatches.length} of ` +
    `${family.runs} ${family.name} expressions (${family.rule}); ` +
    `seed ${seed}, replay with SOCKCALC_SEED=${seed}`,
    "Smallest counterexample (shrunk, then cut to its failing part):",
    describe(smallest),
    "Shortest disagreements before shrinking:",
    ...others.map(describe),
  ].join("\n");
}

async function checkFamily(family: Family, seed: number): Promise<void> {
  const exprs = fc.sample(family.expressions, { seed, numRuns: family.runs });
  const oracle = new Oracle();
  await oracle.prefetch(exprs);

  const mismatches: Mismatch[] = [];
  for (const expr of exprs) {
    const ours = ourReply(expr);
    const cpython = await oracle.answer(expr);
    if (!family.agree(expr, ours, cpython)) {
      mismatches.push({ expr, ours, cpython });
    }
  }
  if (mismatches.length === 0) return;

  const shrunk = await shrink(family, seed, oracle) ?? mismatches[0];
  const smallest = await smallestPart(family, shrunk, oracle);
  throw new Error(failureMessage(family, seed, mismatches, smallest));
}

const SEED = readSeed();

if (hasPython()) {
  console.log(
    `evaluate_differential_test: seed ${SEED} (replay with SOCKCALC_SEED=${SEED})`,
  );
} else {
  console.log(
    "evaluate_differential_test: skipped: python3 3.11 is not on PATH",
  );
}

for (const family of [EXACT, FLOATS]) {
  Deno.test({
    name:
      `evaluateToReply() answers ${family.runs} random ${family.name} expressions like CPython`,
    ignore: !hasPython(),
    fn: () => checkFamily(family, SEED),
  });
}
