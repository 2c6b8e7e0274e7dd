import { equal } from "node:assert/strict";
import fc from "fast-check";
import { euclid } from "./helpers.ts";
import { halvingGcd } from "../lib/halving_gcd.ts";
import { lehmerGcd } from "../lib/lehmer_gcd.ts";

// Halving starts at 8,000 bits; the arbitraries reach well past it, with
// common factors of every size so that the gcd is rarely 1.

Deno.test("halvingGcd agrees with Euclid's algorithm on random ints with a common factor", () => {
  fc.assert(
    fc.property(
      fc.bigUintN(14000),
      fc.bigUintN(14000),
      fc.bigUintN(6000),
      (a, b, factor) => {
        const [x, y] = [a * (factor + 1n), b * (factor + 1n)];
        equal(halvingGcd(x, y), euclid(x, y));
      },
    ),
    // Shrinking ints this long takes minutes: a failure is reported as found.
    { numRuns: 60, seed: 20261204, endOnFailure: true },
  );
});

Deno.test("halvingGcd agrees with Lehmer's gcd on large random ints of unequal sizes", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 8000, max: 60000 }),
      fc.integer({ min: 0, max: 30000 }),
      fc.integer({ min: 1, max: 20000 }),
      fc.integer({ min: 0, max: 2 ** 31 }),
      (bits, shorter, factorBits, seed) => {
        const random = seededBigints(seed);
        const factor = random(factorBits) + 1n;
        const x = random(bits) * factor;
        const y = random(Math.max(1, bits - shorter)) * factor;
        equal(halvingGcd(x, y), lehmerGcd(x, y));
      },
    ),
    { numRuns: 40, seed: 4 },
  );
});

Deno.test("halvingGcd handles the shapes that take its other paths", () => {
  // Neighbouring Fibonacci numbers have every quotient 1; a second
  // argument three quarters as long gives the leading half nothing to
  // reduce; a short one makes one division the whole step.
  let [f0, f1] = [0n, 1n];
  for (let i = 0; i < 30_000; i++) [f0, f1] = [f1, f0 + f1];
  const random = seededBigints(7);
  const cases: [bigint, bigint][] = [
    [f1, f0],
    [f1 * 3n ** 5000n, f0 * 3n ** 5000n],
    [random(40000), random(30000)],
    [random(40000) * 12345n, random(29000) * 12345n],
    [random(40000), random(9000)],
    [random(40000), 7n],
    [2n ** 30000n, 2n ** 20000n * 3n],
    [3n ** 20000n, 3n ** 20000n],
    [3n ** 20000n * 5n, 3n ** 20000n],
    [3n ** 20000n, 0n],
    [0n, 3n ** 20000n],
    [2n ** 20000n + 1n, 2n ** 20000n],
  ];
  for (const [a, b] of cases) equal(halvingGcd(a, b), euclid(a, b));
});

/** Non-negative ints of exactly `bits` bits from a seeded generator. */
function seededBigints(seed: number): (bits: number) => bigint {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
  return (bits) => {
    let n = 1n;
    for (let i = 1; i < bits; i += 24) {
      const take = Math.min(24, bits - i);
      n = (n << BigInt(take)) | BigInt(next() >>> (32 - take));
    }
    return n;
  };
}
