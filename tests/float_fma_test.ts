import { equal, ok } from "node:assert/strict";
import { fma } from "../lib/float_fma.ts";
import { floatToHex, hexToFloat } from "../lib/float_exact_bits.ts";

// [[a, b, c], a * b + c rounded once] as float.hex, the exact value
// computed by python3 with fractions.Fraction: sums exactly halfway
// between two floats before the product's last bits, cancellations,
// a product past the largest float that c brings back, subnormal results
// and ties among them, and plain cases.
const CASES: [[string, string, string], string][] = [
  [
    ["0x1.0000000000001p+0", "0x1.fffffffffffffp-54", "0x1.0000000000000p+0"],
    "0x1.0000000000001p+0",
  ],
  [
    ["0x1.0000000000001p+0", "-0x1.fffffffffffffp-54", "0x1.0000000000000p+0"],
    "0x1.fffffffffffffp-1",
  ],
  [
    ["0x1.999999999999ap-4", "0x1.4000000000000p+3", "-0x1.0000000000000p+0"],
    "0x1.0000000000000p-54",
  ],
  [
    ["0x1.0000000400000p+0", "0x1.fffffff800000p-1", "-0x1.0000000000000p+0"],
    "-0x1.0000000000000p-60",
  ],
  [
    [
      "0x1.0000000000000p+1023",
      "0x1.0000000000000p+1",
      "-0x1.fffffffffffffp+1023",
    ],
    "0x1.0000000000000p+971",
  ],
  [["0x1.0000000000000p+1023", "0x1.0000000000000p+1", "0x0.0p+0"], "inf"],
  [
    ["0x1.0000000000000p-600", "0x1.0000000000000p-500", "0x0.0p+0"],
    "0x0.0p+0",
  ],
  [
    [
      "0x1.8000000000000p-539",
      "0x1.0000000000000p-540",
      "0x0.0000000000001p-1022",
    ],
    "0x0.0000000000001p-1022",
  ],
  [
    ["0x1.0000000000000p-537", "0x1.0000000000000p-538", "0x0.0p+0"],
    "0x0.0p+0",
  ],
  [
    [
      "0x1.0000000000000p-537",
      "0x1.0000000000000p-538",
      "0x0.0000000000001p-1022",
    ],
    "0x0.0000000000002p-1022",
  ],
  [
    ["0x1.5555555555555p-2", "0x1.8000000000000p+1", "-0x1.0000000000000p+0"],
    "-0x1.0000000000000p-54",
  ],
  [
    ["0x1.62e42fefa39efp-1", "0x1.0a2b23f3bab73p-1", "0x1.0000000000000p-1"],
    "0x1.b87e73fd10a15p-1",
  ],
  [
    ["-0x1.3333333333333p+0", "0x1.c71c71c71c71cp-3", "0x1.921fb54442d18p+1"],
    "0x1.6ffd932220af6p+1",
  ],
];

Deno.test("fma() rounds a * b + c once", async (t) => {
  for (const [[a, b, c], wanted] of CASES) {
    await t.step(`fma(${a}, ${b}, ${c})`, () => {
      const result = fma(hexToFloat(a), hexToFloat(b), hexToFloat(c));
      equal(result === Infinity ? "inf" : floatToHex(result), wanted);
    });
  }
});

Deno.test("fma() follows IEEE 754 for infinities and NaN", () => {
  ok(Number.isNaN(fma(Infinity, 0, 1)));
  ok(Number.isNaN(fma(Infinity, 2, -Infinity)));
  ok(Number.isNaN(fma(NaN, 1, 1)));
  equal(fma(2, 3, Infinity), Infinity);
  // The product 1e309 is finite in exact arithmetic: no inf - inf here.
  equal(fma(1e308, 10, -Infinity), -Infinity);
  equal(fma(1e308, 10, -1e308), Infinity);
});
