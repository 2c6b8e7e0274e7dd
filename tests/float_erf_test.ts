import { deepEqual, equal } from "node:assert/strict";
import { erf, erfc } from "../lib/float_erf.ts";
import { floatToHex, hexToFloat } from "../lib/float_exact_bits.ts";
import {
  FLOAT_CASES,
  hasPython,
  pythonReplies,
  Random,
} from "../scripts/float_cases.ts";

// [x, math.erf(x), math.erfc(x)] as float.hex, captured from CPython 3.11
// on x86-64 glibc 2.36: the special values, both sides of every interval
// edge of glibc's method (the high words 0x00800000, 2 ** -56, 2 ** -28,
// 0.25, 0.84375, 1.25, 1/0.35, 6 and 28), and erfc's underflow.
const EDGES: [string, string, string][] = [
  ["0x0.0p+0", "0x0.0p+0", "0x1.0000000000000p+0"],
  ["-0x0.0p+0", "-0x0.0p+0", "0x1.0000000000000p+0"],
  [
    "0x0.0000000000001p-1022",
    "0x0.0000000000001p-1022",
    "0x1.0000000000000p+0",
  ],
  [
    "-0x0.0000000000001p-1022",
    "-0x0.0000000000001p-1022",
    "0x1.0000000000000p+0",
  ],
  [
    "0x0.8000000000000p-1022",
    "0x0.906eba8214db6p-1022",
    "0x1.0000000000000p+0",
  ],
  [
    "0x1.0000000000000p-1022",
    "0x1.20dd750429b6dp-1022",
    "0x1.0000000000000p+0",
  ],
  [
    "0x1.fffffffffffffp-1016",
    "0x1.20dd750429b6cp-1015",
    "0x1.0000000000000p+0",
  ],
  [
    "0x1.0000000000000p-1015",
    "0x1.20dd750429b6dp-1015",
    "0x1.0000000000000p+0",
  ],
  [
    "-0x1.0000000000000p-1015",
    "-0x1.20dd750429b6dp-1015",
    "0x1.0000000000000p+0",
  ],
  [
    "0x1.2000000000000p-1000",
    "0x1.44f923a4aeedbp-1000",
    "0x1.0000000000000p+0",
  ],
  ["0x1.fffffffffffffp-57", "0x1.20dd750429b6cp-56", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p-56", "0x1.20dd750429b6dp-56", "0x1.0000000000000p+0"],
  ["-0x1.0000000000000p-56", "-0x1.20dd750429b6dp-56", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p-40", "0x1.20dd750429b6dp-40", "0x1.fffffffffdbe4p-1"],
  ["0x1.fffffffffffffp-29", "0x1.20dd750429b6cp-28", "0x1.ffffffdbe4516p-1"],
  ["0x1.0000000000000p-28", "0x1.20dd750429b6dp-28", "0x1.ffffffdbe4516p-1"],
  ["-0x1.0000000000000p-28", "-0x1.20dd750429b6dp-28", "0x1.000000120dd75p+0"],
  ["0x1.fffffffffffffp-3", "0x1.1af54e232d608p-2", "0x1.728558ee694fcp-1"],
  ["0x1.0000000000000p-2", "0x1.1af54e232d608p-2", "0x1.728558ee694fcp-1"],
  ["-0x1.0000000000000p-2", "-0x1.1af54e232d608p-2", "0x1.46bd5388cb582p+0"],
  ["0x1.3333333333333p-2", "0x1.50838881dea0fp-2", "0x1.57be3bbf10af8p-1"],
  ["0x1.affffffffffffp-1", "0x1.88d1cd474a2e0p-1", "0x1.dcb8cae2d7480p-3"],
  ["0x1.b000000000000p-1", "0x1.88d1cd474a2e0p-1", "0x1.dcb8cae2d747ep-3"],
  ["-0x1.b000000000000p-1", "-0x1.88d1cd474a2e0p-1", "0x1.c468e6a3a5170p+0"],
  ["0x1.0000000000000p+0", "0x1.af767a741088bp-1", "0x1.4226162fbddd5p-3"],
  ["-0x1.0000000000000p+0", "-0x1.af767a741088bp-1", "0x1.d7bb3d3a08446p+0"],
  ["0x1.3ffffffffffffp+0", "0x1.d8865d98abe00p-1", "0x1.3bcd133aa1001p-4"],
  ["0x1.4000000000000p+0", "0x1.d8865d98abe00p-1", "0x1.3bcd133aa0ffcp-4"],
  ["-0x1.4000000000000p+0", "-0x1.d8865d98abe00p-1", "0x1.ec432ecc55f00p+0"],
  ["0x1.8000000000000p+0", "0x1.eea5557137ae0p-1", "0x1.15aaa8ec85205p-5"],
  ["-0x1.8000000000000p+0", "-0x1.eea5557137ae0p-1", "0x1.f752aab89bd70p+0"],
  ["0x1.6db6cffffffffp+1", "0x1.fff9031ef839bp-1", "0x1.bf3841f194ad8p-15"],
  ["0x1.6db6d00000000p+1", "0x1.fff9031ef839bp-1", "0x1.bf3841f194ac3p-15"],
  ["0x1.6db6dffffffffp+1", "0x1.fff903243cbcdp-1", "0x1.bf36f0d0cbb1bp-15"],
  ["0x1.6db6e00000000p+1", "0x1.fff903243cbcdp-1", "0x1.bf36f0d0cbb06p-15"],
  ["-0x1.6db6d00000000p+1", "-0x1.fff9031ef839bp-1", "0x1.fffc818f7c1cdp+0"],
  ["-0x1.6db6e00000000p+1", "-0x1.fff903243cbcdp-1", "0x1.fffc81921e5e7p+0"],
  ["0x1.7ffffffffffffp+2", "0x1.0000000000000p+0", "0x1.8cf81557d2101p-56"],
  ["0x1.8000000000000p+2", "0x1.0000000000000p+0", "0x1.8cf81557d20b7p-56"],
  ["-0x1.7ffffffffffffp+2", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["-0x1.8000000000000p+2", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["0x1.4000000000000p+3", "0x1.0000000000000p+0", "0x1.7d8a7f2a8a2d0p-149"],
  ["-0x1.4000000000000p+3", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["0x1.a000000000000p+4", "0x1.0000000000000p+0", "0x1.284bfe1cdea24p-981"],
  ["0x1.a900000000000p+4", "0x1.0000000000000p+0", "0x0.5c138483995c0p-1022"],
  ["0x1.b200000000000p+4", "0x1.0000000000000p+0", "0x0.000000000007ap-1022"],
  ["0x1.b400000000000p+4", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["0x1.bffffffffffffp+4", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["0x1.c000000000000p+4", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["-0x1.c000000000000p+4", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["0x1.0000000000000p+10", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["0x1.fffffffffffffp+1023", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["-0x1.fffffffffffffp+1023", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["inf", "0x1.0000000000000p+0", "0x0.0p+0"],
  ["-inf", "-0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["nan", "nan", "nan"],
];

// Inputs where this project's former series and continued fraction
// replied one or two ulps away from CPython, one per interval.
const FORMER_MISSES: [string, string, string][] = [
  ["0x1.c33a28304c650p-2", "0x1.de08df7f76ceep-2", "0x1.10fb904044989p-1"],
  ["0x1.28e67f916fcf8p+0", "0x1.cc4d5df1c92f9p-1", "0x1.9d951071b6837p-4"],
  ["0x1.56b826c2e957dp+0", "0x1.e223b49ad20d2p-1", "0x1.ddc4b652df2e3p-5"],
  ["0x1.26e8de63c762bp+1", "0x1.ff6d1a7d36559p-1", "0x1.25cb059354d6bp-10"],
  ["0x1.f122cfd4fe29cp+1", "0x1.fffffeabd7bd5p-1", "0x1.542842a9db129p-25"],
  ["0x1.04c0a07cfb3b6p+4", "0x1.0000000000000p+0", "0x1.f73fd64ece4cbp-389"],
];

// [x, math.erfc(x)] where glibc's exp, inside glibc's erfc, rounds one of
// its two results away from the correctly rounded value: with a correctly
// rounded exp, erfc landed one or two ulps from CPython here.
const EXP_MISROUNDED: [string, string][] = [
  ["0x1.96a4d61ec9306p+3", "0x1.71c8baae5dc94p-238"],
  ["0x1.d9f080925f34ap+2", "0x1.1d8a6cd673b40p-83"],
  ["0x1.c9b0975e0b1e4p+1", "0x1.c9c6a6430f071p-22"],
  ["0x1.057752ca45a7cp+1", "0x1.fad7e607b3963p-9"],
];

async function checkTable(
  t: Deno.TestContext,
  table: [string, string, string][],
): Promise<void> {
  for (const [x, erfWanted, erfcWanted] of table) {
    await t.step(x, () => {
      equal(floatToHex(erf(hexToFloat(x))), erfWanted, `erf(${x})`);
      equal(floatToHex(erfc(hexToFloat(x))), erfcWanted, `erfc(${x})`);
    });
  }
}

Deno.test("erf() and erfc() reply as CPython at every interval edge", (t) =>
  checkTable(t, EDGES));

Deno.test("erf() and erfc() reply as CPython where the series missed", (t) =>
  checkTable(t, FORMER_MISSES));

Deno.test("erfc() replies as CPython where glibc's exp misrounds", async (t) => {
  for (const [x, cpython] of EXP_MISROUNDED) {
    await t.step(x, () => {
      equal(floatToHex(erfc(hexToFloat(x))), cpython, `erfc(${x})`);
    });
  }
});

const SAMPLE = 4000;

const pythonFound = await hasPython();
if (!pythonFound) {
  console.log("Skipping the comparison with python3: python3 is not on PATH");
}

Deno.test({
  name: "erf() and erfc() reply as python3 does on random inputs",
  ignore: !pythonFound,
  fn: async (t) => {
    for (const [name, fn] of [["erf", erf], ["erfc", erfc]] as const) {
      await t.step(name, async () => {
        const fc = FLOAT_CASES.find((c) => c.name === name)!;
        const random = new Random(17);
        const xs = Array.from({ length: SAMPLE }, () => fc.generate(random));
        const theirs = await pythonReplies(fc.python, xs);
        const differing = xs
          .map(([x], i) => [floatToHex(x), floatToHex(fn(x)), theirs[i]])
          .filter(([, ours, cpython]) => ours !== cpython);
        deepEqual(differing.slice(0, 3), [], `${name}: [x, ours, CPython]`);
      });
    }
  },
});
