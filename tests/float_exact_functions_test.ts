import { deepEqual } from "node:assert/strict";
import {
  FLOAT_CASES,
  hasPython,
  pythonReplies,
  Random,
} from "../scripts/float_cases.ts";

/**
 * The float functions of `math` that are exact, or computed by CPython's
 * own method: every reply must be CPython's, bit for bit.
 */
const EXACT = [
  "sqrt",
  "fabs",
  "hypot",
  "fmod",
  "remainder",
  "copysign",
  "nextafter",
  "ldexp",
  "frexp",
  "modf",
  "ulp",
  "degrees",
  "radians",
  "trunc",
  "floor",
  "ceil",
  "fsum",
  "prod",
  "dist",
];
const SAMPLE = 1000;

const pythonFound = await hasPython();
if (!pythonFound) {
  console.log("Skipping the comparison with python3: python3 is not on PATH");
}

Deno.test({
  name: "exact math functions reply as python3 does on every random input",
  ignore: !pythonFound,
  fn: async (t) => {
    for (const fc of FLOAT_CASES.filter((c) => EXACT.includes(c.name))) {
      await t.step(fc.name, async () => {
        const random = new Random(23);
        const args = Array.from({ length: SAMPLE }, () => fc.generate(random));
        const theirs = await pythonReplies(fc.python, args);
        const differing = args
          .map((list, i) => ({
            args: list,
            ours: fc.ours(list),
            theirs: theirs[i],
          }))
          .filter((reply) => reply.ours !== reply.theirs);
        deepEqual(differing.slice(0, 3), []);
      });
    }
  },
});

Deno.test("every exact function named here is among the compared cases", () => {
  const compared = new Set(FLOAT_CASES.map((c) => c.name));
  deepEqual(EXACT.filter((name) => !compared.has(name)), []);
});
