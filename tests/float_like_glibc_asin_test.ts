import { equal } from "node:assert/strict";
import { acosLikeGlibc, asinLikeGlibc } from "../lib/float_like_glibc_asin.ts";
import { floatToHex, hexToFloat } from "../lib/float_exact_bits.ts";
import { hasPython, pythonReplies, Random } from "../scripts/float_cases.ts";

// [function, x, CPython's reply] as float.hex, captured from CPython 3.11 on
// x86-64 glibc 2.36 (with FMA): in each of glibc's ranges (below 1/8, each
// degree range of its table from 1/8, and from 0.96875 to 1) and of both
// signs, inputs where the correctly rounded result differs from CPython's,
// and inputs where only glibc's choice of fused and unfused steps gives
// CPython's bit.
const HARD_CASES: [string, string, string][] = [
  ["asin", "0x1.0f17a306fb8eep-3", "0x1.0fe3eadfd0e64p-3"],
  ["asin", "-0x1.0726e259489d7p-3", "-0x1.07e1a61de693ap-3"],
  ["asin", "-0x1.a12e6de501b50p-3", "-0x1.a41f294b1fbafp-3"],
  ["asin", "0x1.b74670bbf1630p-2", "0x1.c600ed009ded2p-2"],
  ["asin", "-0x1.dc31adde79d20p-2", "-0x1.ef47c2a596af2p-2"],
  ["asin", "-0x1.8746fdcbb348ap-2", "-0x1.917c196d2c629p-2"],
  ["asin", "0x1.160aca199e0d2p-1", "0x1.25ec074ef97e0p-1"],
  ["asin", "0x1.746117f54e4ebp-1", "0x1.a0f6ff333e8ccp-1"],
  ["asin", "-0x1.6bfd08ed80bedp-1", "-0x1.94e381801f5d5p-1"],
  ["asin", "0x1.a23c52228ee04p-1", "0x1.e97344f609acep-1"],
  ["asin", "-0x1.a0aafdc45bd2bp-1", "-0x1.e6be1b94a280ap-1"],
  ["asin", "0x1.81e61b7d28bbap-1", "0x1.b5167924db121p-1"],
  ["asin", "-0x1.e7cec0eedf7c8p-1", "-0x1.431d0bd73e546p+0"],
  ["asin", "0x1.d9776f2f0b4b7p-1", "0x1.2e2b6d6b4f135p+0"],
  ["asin", "0x1.e5fb7098c4fb4p-1", "0x1.4029784474112p+0"],
  ["asin", "-0x1.ec7932ce5d540p-1", "-0x1.4b31ebc3995e4p+0"],
  ["asin", "-0x1.efaee52c24c3ap-1", "-0x1.5152090b7fd4ap+0"],
  ["asin", "0x1.ea60977d1b4c4p-1", "0x1.47758ca4546b2p+0"],
  ["acos", "-0x1.18f8ee780aaedp-3", "0x1.b55b4577af70ep+0"],
  ["acos", "-0x1.466b7856c8e02p-3", "0x1.bb19e1563e9aap+0"],
  ["acos", "-0x1.ce735cfb447dap-3", "0x1.cc6edccccb40ep+0"],
  ["acos", "0x1.81c3d303c10d8p-2", "0x1.2f3dfcb8531c2p+0"],
  ["acos", "0x1.64a5bd195075ep-2", "0x1.370da055347ebp+0"],
  ["acos", "0x1.0836a6c553cbcp-2", "0x1.4f509083463e1p+0"],
  ["acos", "-0x1.049722a35bc10p-1", "0x1.0d6965a8efa18p+1"],
  ["acos", "0x1.04a1e424aad54p-1", "0x1.09665fc1ba25ep+0"],
  ["acos", "0x1.28349ac7914e4p-1", "0x1.e8625e6f7b6c4p-1"],
  ["acos", "0x1.ce59054535873p-1", "0x1.c6b2c45b2c109p-2"],
  ["acos", "0x1.cb83961e34f57p-1", "0x1.d3b7a2c4ecc1ep-2"],
  ["acos", "0x1.c852c25268427p-1", "0x1.e1fc164648784p-2"],
  ["acos", "0x1.e212768bb4da2p-1", "0x1.5fd95fa9c45fcp-2"],
  ["acos", "0x1.e5f1662535a15p-1", "0x1.4818bcc2334b0p-2"],
  ["acos", "0x1.d888bd24787fep-1", "0x1.94b03a5338ce1p-2"],
  ["acos", "0x1.e86d4377360c8p-1", "0x1.37f062c4f1444p-2"],
  ["acos", "0x1.ea0900e10b989p-1", "0x1.2d07847dded1ap-2"],
  ["acos", "0x1.ee30bcc45edc5p-1", "0x1.0ee0db692c03dp-2"],
  ["asin", "0x1.0fb31e71e278dp-4", "0x1.0fe63a5a78533p-4"],
  ["asin", "0x1.d8604f64b8a8cp-7", "0x1.d8647fbc61051p-7"],
  ["asin", "-0x1.f61557b022618p-6", "-0x1.f62977f92d052p-6"],
  ["asin", "-0x1.b4445416a8a8ap-6", "-0x1.b45187d5f36fdp-6"],
  ["asin", "-0x1.b9a16d42ff123p-4", "-0x1.ba7da1d8cd957p-4"],
  ["asin", "0x1.f4c2bbc42d392p-1", "0x1.5c629532d50bbp+0"],
  ["asin", "0x1.f550b16d16091p-1", "0x1.5dbb78fd03294p+0"],
  ["asin", "-0x1.f1629ad6e3bb8p-1", "-0x1.54cf7b3053cf1p+0"],
  ["asin", "-0x1.f906a63a791b1p-1", "-0x1.67d284e42095cp+0"],
  ["asin", "-0x1.f0b6931793e46p-1", "-0x1.5368e74be2ad4p+0"],
  ["asin", "-0x1.f240a35802c4cp-1", "-0x1.56aa858720b9dp+0"],
  ["acos", "0x1.fb48fd73dcdfdp-1", "0x1.16266e4acf5c8p-3"],
  ["acos", "0x1.f4dcc58022ab9p-1", "0x1.abf40eca70c34p-3"],
  ["acos", "-0x1.f7ce30ef501adp-1", "0x1.7b31397ba43d8p+1"],
  ["acos", "-0x1.f222f46c4657ep-1", "0x1.7444f10d5712bp+1"],
  ["acos", "0x1.f31ca3d32faa6p-1", "0x1.cc7d687f475cfp-3"],
  ["acos", "0x1.fb86c39b001cep-1", "0x1.0eed9dc7e175dp-3"],
  ["acos", "-0x1.f0a5b63cdf25ap-1", "0x1.72b2f13faca3bp+1"],
  ["acos", "0x1.f472dd470c33fp-1", "0x1.b3dbc6df6a47ep-3"],
];

// [x, math.asin(x), math.acos(x)] as float.hex, captured from CPython 3.11
// as above: both sides of each threshold of glibc's ranges (its shortcuts
// for tiny x too) and of two cell edges, two cell centres (where xx is 0),
// an exponent step of z = (1 - |x|)/2, ±1, zeros and negative inputs.
const EDGES: [string, string, string][] = [
  ["0x1.0000000000000p-3", "0x1.00abe0c129e1ep-3", "0x1.720a392c1d955p+0"],
  ["0x1.fffffffffffffp-4", "0x1.00abe0c129e1ep-3", "0x1.720a392c1d955p+0"],
  ["0x1.0000000000000p-1", "0x1.0c152382d7366p-1", "0x1.0c152382d7366p+0"],
  ["0x1.fffffffffffffp-2", "0x1.0c152382d7365p-1", "0x1.0c152382d7366p+0"],
  ["0x1.8000000000000p-1", "0x1.b235315c680dcp-1", "0x1.720a392c1d955p-1"],
  ["0x1.7ffffffffffffp-1", "0x1.b235315c680dbp-1", "0x1.720a392c1d956p-1"],
  ["0x1.d800000000000p-1", "0x1.2c42a3a3c7a87p+0", "0x1.97744681eca44p-2"],
  ["0x1.d7fffffffffffp-1", "0x1.2c42a3a3c7a86p+0", "0x1.97744681eca49p-2"],
  ["0x1.e800000000000p-1", "0x1.436e4418e69c0p+0", "0x1.3ac5c4ad70d60p-2"],
  ["0x1.e7fffffffffffp-1", "0x1.436e4418e69bfp+0", "0x1.3ac5c4ad70d66p-2"],
  ["0x1.f000000000000p-1", "0x1.51f4bd13f8591p+0", "0x1.00abe0c129e1ep-2"],
  ["0x1.effffffffffffp-1", "0x1.51f4bd13f858fp+0", "0x1.00abe0c129e26p-2"],
  ["0x1.0800000000000p-3", "0x1.08bc95e132e6fp-3", "0x1.710822881c74ap+0"],
  ["0x1.07fffffffffffp-3", "0x1.08bc95e132e6ep-3", "0x1.710822881c74bp+0"],
  ["0x1.0600000000000p-1", "0x1.1309cbf4cdb24p-1", "0x1.089acf49dbf86p+0"],
  ["0x1.05fffffffffffp-1", "0x1.1309cbf4cdb23p-1", "0x1.089acf49dbf87p+0"],
  ["0x1.0400000000000p-3", "0x1.04b41a03e2703p-3", "0x1.71893203c6838p+0"],
  ["0x1.e900000000000p-1", "0x1.4519b155fb22ep+0", "0x1.34180fb91eba7p-2"],
  ["-0x1.0000000000000p-3", "-0x1.00abe0c129e1ep-3", "0x1.b235315c680dcp+0"],
  ["-0x1.effffffffffffp-1", "-0x1.51f4bd13f858fp+0", "0x1.720a392c1d954p+1"],
  ["-0x1.0000000000000p-1", "-0x1.0c152382d7366p-1", "0x1.0c152382d7366p+1"],
  ["0x1.0000000000000p-26", "0x1.0000000000000p-26", "0x1.921fb50442d18p+0"],
  ["0x1.fffffffffffffp-27", "0x1.fffffffffffffp-27", "0x1.921fb50442d18p+0"],
  ["-0x1.0000000000000p-26", "-0x1.0000000000000p-26", "0x1.921fb58442d18p+0"],
  ["0x1.0000000000001p-55", "0x1.0000000000001p-55", "0x1.921fb54442d18p+0"],
  ["0x1.0000000000000p-55", "0x1.0000000000000p-55", "0x1.921fb54442d18p+0"],
  ["0x1.fffffffffffffp-56", "0x1.fffffffffffffp-56", "0x1.921fb54442d18p+0"],
  ["0x1.fffffffffffffp-1", "0x1.921fb50442d18p+0", "0x1.0000000000000p-26"],
  ["-0x1.fffffffffffffp-1", "-0x1.921fb50442d18p+0", "0x1.921fb52442d18p+1"],
  ["0x1.ff80000000000p-1", "0x1.86cf29b6a2526p+0", "0x1.6a1171b40fe3fp-5"],
  ["0x1.ff7ffffffffffp-1", "0x1.86cf29b6a251bp+0", "0x1.6a1171b40ffa9p-5"],
  ["0x1.ff80000000001p-1", "0x1.86cf29b6a2532p+0", "0x1.6a1171b40fcd5p-5"],
  ["0x1.f000000000001p-1", "0x1.51f4bd13f8593p+0", "0x1.00abe0c129e16p-2"],
  ["0x1.0000000000000p+0", "0x1.921fb54442d18p+0", "0x0.0p+0"],
  ["-0x1.0000000000000p+0", "-0x1.921fb54442d18p+0", "0x1.921fb54442d18p+1"],
  ["0x0.0p+0", "0x0.0p+0", "0x1.921fb54442d18p+0"],
  ["-0x0.0p+0", "-0x0.0p+0", "0x1.921fb54442d18p+0"],
  [
    "0x0.0000000000001p-1022",
    "0x0.0000000000001p-1022",
    "0x1.921fb54442d18p+0",
  ],
];

const FUNCTIONS: Record<string, (x: number) => number> = {
  asin: asinLikeGlibc,
  acos: acosLikeGlibc,
};

Deno.test("asinLikeGlibc() and acosLikeGlibc() reply as CPython where correct rounding does not", async (t) => {
  for (const [name, x, expected] of HARD_CASES) {
    await t.step(`${name}(${x}) is ${expected}`, () => {
      equal(floatToHex(FUNCTIONS[name](hexToFloat(x))), expected);
    });
  }
});

Deno.test("asinLikeGlibc() and acosLikeGlibc() reply as CPython at the edges of glibc's ranges and cells", async (t) => {
  for (const [x, asin, acos] of EDGES) {
    await t.step(`asin(${x}) is ${asin}, acos is ${acos}`, () => {
      equal(floatToHex(asinLikeGlibc(hexToFloat(x))), asin);
      equal(floatToHex(acosLikeGlibc(hexToFloat(x))), acos);
    });
  }
});

Deno.test("asinLikeGlibc() and acosLikeGlibc() give NaN outside [-1, 1]", async (t) => {
  for (const x of [1.0000000000000002, -1.5, Infinity, -Infinity, NaN]) {
    await t.step(`x = ${x}`, () => {
      equal(asinLikeGlibc(x), NaN);
      equal(acosLikeGlibc(x), NaN);
    });
  }
});

const SAMPLE = 8000;

const pythonFound = await hasPython();
if (!pythonFound) {
  console.log("Skipping the comparison with python3: python3 is not on PATH");
}

/** A random x in [-1, 1]: uniform, tiny on a log scale, or next to ±1. */
function randomInput(random: Random): number {
  const kind = random.uniform(0, 4);
  const sign = random.uniform(0, 1) < 0.5 ? -1 : 1;
  if (kind < 2) return sign * random.uniform(0, 1);
  if (kind < 3) return sign * 2 ** random.uniform(-60, -3);
  return sign * (1 - 2 ** random.uniform(-53, -5));
}

Deno.test({
  name:
    "asinLikeGlibc() and acosLikeGlibc() reply as python3 on random inputs over [-1, 1]",
  ignore: !pythonFound,
  fn: async (t) => {
    const random = new Random(41);
    const xs = Array.from({ length: SAMPLE }, () => [randomInput(random)]);
    for (const [name, fn] of Object.entries(FUNCTIONS)) {
      await t.step(name, async () => {
        const theirs = await pythonReplies(`math.${name}(a)`, xs);
        xs.forEach(([x], i) => {
          equal(floatToHex(fn(x)), theirs[i], `${name}(${floatToHex(x)})`);
        });
      });
    }
  },
});
