import { equal } from "node:assert/strict";
import fc from "fast-check";
import { modularPower } from "../lib/py_arith.ts";

/** Python's `pow(base, exp, mod)` for `exp >= 0`, by bigint steps. */
function reference(base: bigint, exp: bigint, mod: bigint): bigint {
  const m = mod < 0n ? -mod : mod;
  let result = 1n % m;
  let square = ((base % m) + m) % m;
  for (let e = exp; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = result * square % m;
    square = square * square % m;
  }
  return mod < 0n && result !== 0n ? result - m : result;
}

// Moduli up to 2**32 and safe exponents are worked in floats; the
// arbitraries cross both bounds so that the bigint path is compared too.
const MODULUS = fc.oneof(
  fc.bigInt({ min: 1n, max: 2n ** 32n + 5n }),
  fc.constantFrom(1n, 2n, 2n ** 26n + 1n, 2n ** 32n - 5n, 2n ** 32n),
  fc.bigInt({ min: 2n ** 32n, max: 2n ** 80n }),
);

Deno.test("modularPower agrees with bigint steps on either side of its float path", () => {
  fc.assert(
    fc.property(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.oneof(
        fc.bigInt({ min: 0n, max: 1000n }),
        fc.bigInt({ min: 0n, max: 2n ** 60n }),
      ),
      MODULUS,
      fc.boolean(),
      (base, exp, modulus, negative) => {
        const mod = negative ? -modulus : modulus;
        equal(modularPower(base, exp, mod), reference(base, exp, mod));
      },
    ),
    { numRuns: 3000, seed: 1204 },
  );
});

Deno.test("modularPower answers the classroom's examples", () => {
  // From python3: pow(3, 200, 10**9 + 7).
  equal(modularPower(3n, 200n, 10n ** 9n + 7n), 136318165n);
  equal(
    modularPower(2n, 2n ** 53n - 1n, 2n ** 32n - 5n),
    reference(2n, 2n ** 53n - 1n, 2n ** 32n - 5n),
  );
  equal(modularPower(-3n, 3n, 5n), 3n);
  equal(modularPower(3n, 3n, -5n), -3n);
  equal(modularPower(7n, 0n, 1n), 0n);
  equal(modularPower(2n, -1n, 5n), 3n);
});
