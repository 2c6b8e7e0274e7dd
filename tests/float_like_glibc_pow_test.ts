import { equal } from "node:assert/strict";
import { floatToHex, hexToFloat } from "../lib/float_exact_bits.ts";
import { powByFusedSteps, powLikeGlibc } from "../lib/float_like_glibc_pow.ts";
import { pow } from "../lib/math_float.ts";
import { PyException } from "../lib/py_value.ts";
import {
  FLOAT_CASES,
  hasPython,
  pythonReplies,
  Random,
} from "../scripts/float_cases.ts";

// [x, y, math.pow(x, y)] as float.hex, captured from CPython 3.11 on
// x86-64 glibc 2.36 (with FMA): C99's special values and CPython's errors,
// subnormal x, |y| below 2 ** -65 and from 2 ** 63 where glibc answers
// without its logarithm, overflow and underflow edges and subnormal
// results, bases next to 1 with huge exponents, and powers exactly halfway
// between two floats (x * x and x * x * x), where glibc's result follows
// the sign of its internal error rather than ties-to-even, and
// JavaScript's Math.pow answers the other way.
const POW_CASES: [string, string, string][] = [
  ["0x1.0000000000000p+1", "0x1.0000000000000p-1", "0x1.6a09e667f3bcdp+0"],
  ["0x1.0000000000000p+1", "0x1.4000000000000p+3", "0x1.0000000000000p+10"],
  ["0x1.4000000000000p+3", "-0x1.0000000000000p+1", "0x1.47ae147ae147bp-7"],
  ["-0x1.0000000000000p+1", "0x1.8000000000000p+1", "-0x1.0000000000000p+3"],
  ["-0x1.0000000000000p+1", "0x1.0000000000000p+2", "0x1.0000000000000p+4"],
  ["-0x1.0000000000000p+3", "0x1.5555555555555p-2", "ValueError"],
  ["0x0.0p+0", "-0x1.0000000000000p+0", "ValueError"],
  ["-0x0.0p+0", "-0x1.8000000000000p+1", "ValueError"],
  ["-0x0.0p+0", "0x1.8000000000000p+1", "-0x0.0p+0"],
  ["0x0.0p+0", "0x1.4000000000000p+1", "0x0.0p+0"],
  ["inf", "-0x1.0000000000000p+0", "0x0.0p+0"],
  ["-inf", "0x1.8000000000000p+1", "-inf"],
  ["-inf", "0x1.0000000000000p+1", "inf"],
  ["-inf", "-0x1.8000000000000p+1", "-0x0.0p+0"],
  ["0x1.0000000000000p+0", "nan", "0x1.0000000000000p+0"],
  ["nan", "0x0.0p+0", "0x1.0000000000000p+0"],
  ["-0x1.0000000000000p+0", "inf", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p-1", "inf", "0x0.0p+0"],
  ["0x1.0000000000000p+1", "-inf", "0x0.0p+0"],
  ["0x0.0000000000001p-1022", "0x1.0000000000000p-1", "0x1.0000000000000p-537"],
  [
    "0x0.0000000000001p-1022",
    "-0x1.0000000000000p-2",
    "0x1.6a09e667f3bcdp+268",
  ],
  ["0x1.0000000000000p-1022", "0x1.8000000000000p+0", "0x0.0p+0"],
  ["0x1.8000000000000p+0", "0x1.0000000000000p-66", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p-1", "0x1.0000000000000p-66", "0x1.0000000000000p+0"],
  ["0x1.0000000000001p+0", "0x1.0000000000000p+63", "OverflowError"],
  ["0x1.fffffffffffffp-1", "-0x1.0000000000000p+63", "OverflowError"],
  ["0x1.0000000000000p+1", "0x1.ffffdf3b645a2p+9", "0x1.ffa52de61c1b3p+1023"],
  ["0x1.0000000000000p+1", "0x1.0000000000000p+10", "OverflowError"],
  ["0x1.0000000000000p+1", "-0x1.0c80000000000p+10", "0x0.0000000000001p-1022"],
  ["0x1.0000000000000p+1", "-0x1.0cc0000000000p+10", "0x0.0p+0"],
  ["0x1.0000000000000p+1", "-0x1.0ca0000000000p+10", "0x0.0000000000001p-1022"],
  ["0x1.0000000000000p+1", "-0x1.ff40000000000p+9", "0x0.b504f333f9de6p-1022"],
  ["0x1.4000000000000p+3", "0x1.3440000000000p+8", "0x1.fa788589d81d3p+1023"],
  ["0x1.4000000000000p+3", "-0x1.4380000000000p+8", "0x0.0000000000001p-1022"],
  ["-0x1.4000000000000p+3", "0x1.3500000000000p+8", "OverflowError"],
  [
    "-0x1.4000000000000p+3",
    "-0x1.4300000000000p+8",
    "-0x0.0000000000002p-1022",
  ],
  ["0x1.000001ad7f29bp+0", "0x1.a698d08000000p+32", "0x1.d41e9fdd7c821p+1022"],
  ["0x1.fffffca501acbp-1", "0x1.b9130a0000000p+32", "0x0.0000000000055p-1022"],
  ["0x1.0000000000001p+0", "0x1.5e00000000000p+61", "0x1.d945df4f8ea07p+1009"],
  ["0x1.b791f74000000p+67", "0x1.0000000000000p+1", "0x1.7962f89bc2a65p+135"],
  ["0x1.7f83d44000000p+49", "0x1.0000000000000p+1", "0x1.1f45dc7d34bd1p+99"],
  ["0x1.7fa846c000000p-33", "0x1.0000000000000p+1", "0x1.1f7c7927b7c6dp-65"],
  ["0x1.c76453c000000p-14", "0x1.0000000000000p+1", "0x1.950ae48304b31p-27"],
  ["0x1.e3c180c000000p-18", "0x1.0000000000000p+1", "0x1.c911df0bf1205p-35"],
  ["0x1.d46ea74000000p-13", "0x1.0000000000000p+1", "0x1.ac9261ab14225p-25"],
  ["0x1.9a4bbd4000000p+70", "0x1.0000000000000p+1", "0x1.48cb584cb7b3dp+141"],
  ["0x1.ad00d14000000p-26", "0x1.0000000000000p+1", "0x1.6775dea89584dp-51"],
  ["0x1.9eb2ce4000000p+11", "0x1.0000000000000p+1", "0x1.4fe367fd3b959p+23"],
  ["0x1.9cb4744000000p+27", "0x1.0000000000000p+1", "0x1.4caaaab0d7651p+55"],
  ["0x1.f66241c000000p+26", "0x1.0000000000000p+1", "0x1.ecf2bfc9b3f19p+53"],
  ["0x1.7dff164000000p+84", "0x1.0000000000000p+1", "0x1.1d00a333eab79p+169"],
  ["0x1.b9aa800000000p-5", "0x1.8000000000000p+1", "0x1.48a80693517f7p-13"],
  ["0x1.ae0f800000000p+12", "0x1.8000000000000p+1", "0x1.2f6c5b852c42fp+38"],
  ["0x1.b00a800000000p+9", "0x1.8000000000000p+1", "0x1.33a26d6b8a217p+29"],
  ["0x1.ab1a800000000p+3", "0x1.8000000000000p+1", "0x1.2935139b71bc7p+11"],
  ["0x1.a2a9800000000p+38", "0x1.8000000000000p+1", "0x1.17ee584e69045p+116"],
  ["0x1.b8ff800000000p-15", "0x1.8000000000000p+1", "0x1.472add5df2affp-43"],
];

/** math.pow's reply: the float's hex, or the class of the error. */
function mathPowReply(x: number, y: number): string {
  try {
    return floatToHex(pow(x, y));
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return error.pythonType;
  }
}

Deno.test("math.pow replies as CPython on its hard cases", async (t) => {
  for (const [x, y, wanted] of POW_CASES) {
    await t.step(`pow(${x}, ${y})`, () => {
      equal(mathPowReply(hexToFloat(x), hexToFloat(y)), wanted);
    });
  }
});

Deno.test("powLikeGlibc() gives C99's special values", () => {
  equal(powLikeGlibc(NaN, 0), 1);
  equal(powLikeGlibc(1, NaN), 1);
  equal(Object.is(powLikeGlibc(-0, 3), -0), true);
  equal(powLikeGlibc(-0, -3), -Infinity);
  equal(powLikeGlibc(0, -2), Infinity);
  equal(Number.isNaN(powLikeGlibc(-8, 1 / 3)), true);
  equal(Object.is(powLikeGlibc(-10, -400), 0), true);
  equal(Object.is(powLikeGlibc(-10, -401), -0), true);
  equal(powLikeGlibc(-10, 401), -Infinity);
});

/**
 * Inputs for the fast path's own check: ordinary powers, wide ranges,
 * bases next to 1 with large exponents, and halfway powers, where the
 * unfused steps must give way to the fused ones.
 */
const FAST_PATH_INPUTS: [string, (random: Random) => number[]][] = [
  ["ordinary", (r) => [r.uniform(0, 10), r.uniform(-20, 20)]],
  ["wide", (r) => [2 ** r.uniform(-100, 100), r.uniform(-500, 500) / 30]],
  [
    "near 1",
    (
      r,
    ) => [
      1 + r.uniform(-1, 1) * 2 ** -r.integer(1, 30),
      r.uniform(-1, 1) * 2 ** r.integer(0, 40),
    ],
  ],
  ["integers", (r) => [r.integer(2, 1000), r.integer(-40, 40)]],
  ["subnormal", (r) => [r.uniform(0, 2 ** -1022), r.uniform(-1, 1)]],
  ["halfway", (r) => halfwayPowers(r, 1)[0]],
];

Deno.test("pow's unfused fast path replies as glibc's fused steps", async (t) => {
  for (const [name, generate] of FAST_PATH_INPUTS) {
    await t.step(name, () => {
      const random = new Random(31);
      for (let i = 0; i < 40000; i++) {
        const [x, y] = generate(random);
        const fused = powByFusedSteps(x, y);
        if (!Object.is(powLikeGlibc(x, y), fused)) {
          equal(
            floatToHex(powLikeGlibc(x, y)),
            floatToHex(fused),
            `pow(${floatToHex(x)}, ${floatToHex(y)})`,
          );
        }
      }
    });
  }
});

const SAMPLE = 4000;

const pythonFound = await hasPython();
if (!pythonFound) {
  console.log("Skipping the comparison with python3: python3 is not on PATH");
}

Deno.test({
  name: "pow() and ** reply as python3 on random inputs and halfway powers",
  ignore: !pythonFound,
  fn: async (t) => {
    for (const name of ["pow", "**"]) {
      await t.step(name, async () => {
        const fc = FLOAT_CASES.find((c) => c.name === name)!;
        const random = new Random(29);
        const args = Array.from({ length: SAMPLE }, () => fc.generate(random));
        args.push(...halfwayPowers(random, SAMPLE / 4));
        const theirs = await pythonReplies(fc.python, args);
        args.forEach((a, i) => {
          equal(fc.ours(a), theirs[i], `${name}(${a.map(floatToHex)})`);
        });
      });
    }
  },
});

/**
 * [x, 2] and [x, 3] whose exact powers are often halfway between two
 * floats: x with 27 (for squares) or 18 (for cubes) significant bits, odd.
 */
function halfwayPowers(random: Random, count: number): number[][] {
  return Array.from({ length: count }, (_, i) => {
    const bits = i % 2 === 0 ? 27 : 18;
    const m = 2 * random.integer(2 ** (bits - 2), 2 ** (bits - 1) - 1) + 1;
    return [m * 2 ** random.integer(-60, 60), i % 2 === 0 ? 2 : 3];
  });
}
