import { equal } from "node:assert/strict";
import fc from "fast-check";
import { bitLength } from "../lib/limits.ts";

/** Python's `int.bit_length()`, plainly. */
function binaryDigits(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}

Deno.test("bitLength agrees with the binary digits of random ints", () => {
  fc.assert(
    fc.property(
      fc.oneof(fc.bigIntN(64), fc.bigIntN(200), fc.bigIntN(1100)),
      (n) => equal(bitLength(n), binaryDigits(n), String(n)),
    ),
    { numRuns: 3000, seed: 52 },
  );
});

Deno.test("bitLength is exact next to powers of two, where floats round", () => {
  for (let k = 0; k <= 1100; k++) {
    const power = 1n << BigInt(k);
    for (const offset of [-2n, -1n, 0n, 1n, 2n]) {
      const n = power + offset;
      equal(bitLength(n), binaryDigits(n), `2**${k} + ${offset}`);
    }
    // Just below 2**k by less than a float's rounding step.
    if (k > 60) {
      const n = power - (1n << BigInt(k - 60));
      equal(bitLength(n), k, `2**${k} - 2**${k - 60}`);
    }
  }
});
