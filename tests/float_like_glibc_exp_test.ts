import { equal, ok } from "node:assert/strict";
import { exp2LikeGlibc, expLikeGlibc } from "../lib/float_like_glibc_exp.ts";
import { floatToHex, hexToFloat } from "../lib/float_exact_bits.ts";
import {
  FLOAT_CASES,
  hasPython,
  pythonReplies,
  Random,
} from "../scripts/float_cases.ts";

// [x, math.exp(x)] as float.hex, captured from CPython 3.11 on x86-64
// glibc 2.36 (with FMA): the tiny-argument shortcut, overflow and
// underflow edges, subnormal results, both sides of |x| = 512 where glibc
// switches to its careful scaling, inputs where only the right choice of
// fused operations gives CPython's bit (inside the polynomial, in the
// scaling above 512, unfused below -512), and inputs where the correctly
// rounded exp differs from glibc's.
const EXP_CASES: [string, string][] = [
  ["0x0.0p+0", "0x1.0000000000000p+0"],
  ["-0x0.0p+0", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p+0", "0x1.5bf0a8b145769p+1"],
  ["-0x1.0000000000000p+0", "0x1.78b56362cef38p-2"],
  ["0x1.0000000000000p-54", "0x1.0000000000000p+0"],
  ["0x1.fffffffffffffp-55", "0x1.0000000000000p+0"],
  ["-0x1.0000000000000p-60", "0x1.0000000000000p+0"],
  ["0x0.0000000000001p-1022", "0x1.0000000000000p+0"],
  ["0x1.62e42fefa39efp+9", "0x1.fffffffffff2ap+1023"],
  ["0x1.62e42fefa39f0p+9", "OverflowError"],
  ["0x1.6300000000000p+9", "OverflowError"],
  ["0x1.0000000000000p+10", "OverflowError"],
  ["0x1.fffffffffffffp+1023", "OverflowError"],
  ["-0x1.74910d52d3051p+9", "0x0.0000000000001p-1022"],
  ["-0x1.74910d52d3052p+9", "0x0.0p+0"],
  ["-0x1.74385446d71c3p+9", "0x0.0000000000001p-1022"],
  ["-0x1.6232bdd7abcd2p+9", "0x1.000000000007cp-1022"],
  ["-0x1.6232bdd7abcd3p+9", "0x0.ffffffffffe7cp-1022"],
  ["-0x1.f400000000000p+9", "0x0.0p+0"],
  ["-0x1.0000000000000p+10", "0x0.0p+0"],
  ["-0x1.fffffffffffffp+1023", "0x0.0p+0"],
  ["0x1.0000000000000p+9", "0x1.9476504ba852ep+738"],
  ["-0x1.0000000000000p+9", "0x1.44109edb20931p-739"],
  ["0x1.fffffffffffffp+8", "0x1.9476504ba839ap+738"],
  ["-0x1.fffffffffffffp+8", "0x1.44109edb20a75p-739"],
  ["-0x1.0a0cf98e840cap+9", "0x1.4408858032a2ap-768"],
  ["-0x1.6233198a4b08dp+9", "0x0.ff48dc62cf500p-1022"],
  ["-0x1.623333332b964p+9", "0x0.ff15b47919e92p-1022"],
  ["-0x1.5e4ab9da06b87p+9", "0x1.34f343530a6b8p-1011"],
  ["-0x1.87a8543befb2fp+8", "0x1.f12d576721091p-566"],
  ["-0x1.b8effdc3ccaf6p+8", "0x1.d132faafb8985p-637"],
  ["0x1.d5129071c8cfbp+8", "0x1.a832a52edaa1ep+676"],
  ["0x1.2d25939e467e6p+9", "0x1.e661861f3eb11p+868"],
  ["0x1.28ceb6c4c86a4p+9", "0x1.530c72e3a8415p+856"],
  ["0x1.29a8446f91ea2p+9", "0x1.cfd08d27c87c9p+858"],
  ["-0x1.feedd5f02d58fp+8", "0x1.d8d64e9c625bap-738"],
  ["-0x1.ff5c560087508p+6", "0x1.7ae2af926ed02p-185"],
  ["0x1.1600000000000p+9", "0x1.19c88be195115p+802"],
  ["-0x1.79e2e38b034e0p+4", "0x1.e698cbedc07d8p-35"],
  ["-0x1.7c7f3dbb67078p+7", "0x1.717e70913b720p-275"],
  ["0x1.c7c7336d3d504p+8", "0x1.7681944e369eap+657"],
  ["0x1.72791100086a0p+8", "0x1.64ea55445b6eep+534"],
  ["0x1.338e5ada7fc3cp+9", "0x1.56548b5242f68p+887"],
  ["0x1.212fc58d13b38p+8", "0x1.27b82fa0ce051p+417"],
  ["-0x1.08a2402abaca1p+9", "0x1.587b3ebde118cp-764"],
  ["-0x1.8c4c12ce50bc1p+8", "0x1.336a90e82e15cp-572"],
  ["-0x1.c8130a7ffa7e4p+7", "0x1.021dc7a63ec30p-329"],
];

// [x, math.exp2(x)] likewise: exact powers, the overflow and underflow
// edges, subnormal results, both sides of |x| = 928 where glibc's exp2
// switches to its careful scaling, inputs where a fused operation would
// change the bit, and inputs where the correctly rounded 2 ** x differs.
const EXP2_CASES: [string, string][] = [
  ["0x0.0p+0", "0x1.0000000000000p+0"],
  ["-0x0.0p+0", "0x1.0000000000000p+0"],
  ["0x1.0000000000000p+0", "0x1.0000000000000p+1"],
  ["0x1.0000000000000p-1", "0x1.6a09e667f3bcdp+0"],
  ["-0x1.0000000000000p+0", "0x1.0000000000000p-1"],
  ["0x1.ff80000000000p+9", "0x1.0000000000000p+1023"],
  ["0x1.fffffffffffffp+9", "0x1.ffffffffffd3ap+1023"],
  ["0x1.0000000000000p+10", "OverflowError"],
  ["-0x1.ff00000000000p+9", "0x1.0000000000000p-1022"],
  ["-0x1.ff20000000000p+9", "0x0.d744fccad69d7p-1022"],
  ["-0x1.0c80000000000p+10", "0x0.0000000000001p-1022"],
  ["-0x1.0c90000000000p+10", "0x0.0000000000001p-1022"],
  ["-0x1.0cc0000000000p+10", "0x0.0p+0"],
  ["-0x1.0cbffffffffffp+10", "0x0.0000000000001p-1022"],
  ["-0x1.0cc0000000001p+10", "0x0.0p+0"],
  ["-0x1.0000000000000p+10", "0x0.4000000000000p-1022"],
  ["0x1.d000000000000p+9", "0x1.0000000000000p+928"],
  ["0x1.d020000000000p+9", "0x1.306fe0a31b715p+928"],
  ["-0x1.d000000000000p+9", "0x1.0000000000000p-928"],
  ["-0x1.d020000000000p+9", "0x1.ae89f995ad3adp-929"],
  ["-0x1.ffc0000000000p+9", "0x0.5a827999fcef3p-1022"],
  ["0x1.0000000000000p-54", "0x1.0000000000000p+0"],
  ["-0x1.0000000000000p-60", "0x1.0000000000000p+0"],
  ["0x0.0000000000001p-1022", "0x1.0000000000000p+0"],
  ["0x1.fffffffffffffp+1023", "OverflowError"],
  ["-0x1.fffffffffffffp+1023", "0x0.0p+0"],
  ["-0x1.71ea290686d18p+7", "0x1.07ae9d2f0d39bp-185"],
  ["0x1.10530b69940ecp+8", "0x1.408c13be31a8cp+272"],
  ["-0x1.a6484712b39aep+8", "0x1.a4ff2f51ca486p-423"],
  ["0x1.349fc6c2b32bap+9", "0x1.301191f4a2662p+617"],
  ["0x1.ce5264dcae130p+7", "0x1.1e358802946e4p+231"],
  ["0x1.1ce56c5b01df8p+9", "0x1.bb5edea080ce0p+569"],
  ["0x1.ea3b76f7a848cp+8", "0x1.2cb8b211713d6p+490"],
  ["0x1.3b6ccf6861a92p+9", "0x1.cd77378f2698ap+630"],
  ["0x1.a12a7c6602e6ap+9", "0x1.42396996b0006p+834"],
  ["-0x1.708189c46e1f9p+9", "0x1.fbc0c78a97cdep-738"],
  ["0x1.2cdf609d4abb0p+7", "0x1.5a65b72e189a6p+150"],
  ["-0x1.aa06e55f26390p+7", "0x1.fb3e082422d8ep-214"],
  ["-0x1.afb323f1a7664p+8", "0x1.3b394cdf4fe72p-432"],
  ["-0x1.b10b3063fa166p+8", "0x1.f0b8a89f154f4p-434"],
  ["0x1.7ec931c745925p+8", "0x1.b96448cd214b7p+382"],
];

/** The reply as CPython gives it: an infinity from a finite x overflowed. */
function cpythonReply(x: number, result: number): string {
  return result === Infinity && Number.isFinite(x)
    ? "OverflowError"
    : floatToHex(result);
}

const FUNCTIONS = [
  ["exp", expLikeGlibc, EXP_CASES],
  ["exp2", exp2LikeGlibc, EXP2_CASES],
] as const;

for (const [name, fn, table] of FUNCTIONS) {
  Deno.test(`${name}LikeGlibc() replies as CPython on its hard cases`, async (t) => {
    for (const [x, wanted] of table) {
      await t.step(x, () => {
        equal(cpythonReply(hexToFloat(x), fn(hexToFloat(x))), wanted);
      });
    }
  });

  Deno.test(`${name}LikeGlibc() passes infinities and NaN as C does`, () => {
    equal(fn(Infinity), Infinity);
    equal(fn(-Infinity), 0);
    ok(Number.isNaN(fn(NaN)));
  });
}

const SAMPLE = 3000;

const pythonFound = await hasPython();
if (!pythonFound) {
  console.log("Skipping the comparison with python3: python3 is not on PATH");
}

Deno.test({
  name: "expLikeGlibc() and exp2LikeGlibc() reply as python3 on random inputs",
  ignore: !pythonFound,
  fn: async (t) => {
    for (const [name, fn] of FUNCTIONS) {
      await t.step(name, async () => {
        const fc = FLOAT_CASES.find((c) => c.name === name)!;
        const random = new Random(23);
        const xs = Array.from({ length: SAMPLE }, () => fc.generate(random));
        // Uniform inputs too: the edges drawn by the cases are few.
        const span = name === "exp" ? 1460 : 2110;
        for (let i = 0; i < SAMPLE; i++) {
          xs.push([random.uniform(-span / 2, span / 2)]);
        }
        const theirs = await pythonReplies(fc.python, xs);
        xs.forEach(([x], i) => {
          const wanted = theirs[i].startsWith("ERR OverflowError")
            ? "OverflowError"
            : theirs[i];
          equal(cpythonReply(x, fn(x)), wanted, `${name}(${floatToHex(x)})`);
        });
      });
    }
  },
});
