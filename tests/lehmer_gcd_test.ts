import { equal, notEqual } from "node:assert/strict";
import fc from "fast-check";
import { euclid } from "./helpers.ts";
import { lehmerCofactors, lehmerGcd } from "../lib/lehmer_gcd.ts";

Deno.test("lehmerGcd agrees with Euclid's algorithm on random ints with a common factor", () => {
  fc.assert(
    fc.property(
      fc.bigUintN(4000),
      fc.bigUintN(4000),
      fc.bigUintN(900),
      (a, b, factor) => {
        const [x, y] = [a * (factor + 1n), b * (factor + 1n)];
        equal(lehmerGcd(x, y), euclid(x, y));
      },
    ),
    { numRuns: 1500, seed: 20261204 },
  );
});

Deno.test("lehmerGcd handles the shapes that take its other paths", () => {
  // Neighbouring Fibonacci numbers need the most steps; a tiny second
  // argument makes every quotient too large for the leading bits.
  let [f0, f1] = [0n, 1n];
  for (let i = 0; i < 20_000; i++) [f0, f1] = [f1, f0 + f1];
  const cases: [bigint, bigint][] = [
    [f1, f0],
    [f1 * 7n, f0 * 7n],
    [2n ** 5000n, 2n ** 3000n * 3n],
    [10n ** 900n, 10n ** 900n],
    [3n ** 2000n, 5n],
    [3n ** 2000n, 0n],
    [0n, 7n ** 300n],
    [2n ** 100n + 1n, 2n ** 100n],
    [(2n ** 96n - 1n) * 41n, 2n ** 90n * 41n],
  ];
  for (const [a, b] of cases) equal(lehmerGcd(a, b), euclid(a, b));
});

Deno.test("lehmerCofactors finds no certain quotient when the second part is tiny", () => {
  equal(lehmerCofactors(2 ** 40, 3)[1], 0);
  const [p, q, r, s] = lehmerCofactors(2 ** 51 + 12345, 2 ** 50 + 777);
  // The first quotient, 2, is certain, so at least one step is taken; and
  // the matrix is unimodular, as every product of Euclid's steps is.
  notEqual(q, 0);
  equal(Math.abs(p * s - q * r), 1);
});
