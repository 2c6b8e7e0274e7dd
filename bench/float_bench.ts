/**
 * Cost per call of the exact float functions beside JavaScript's `Math.*`
 * and beside CPython's `math` (glibc), on the same seeded inputs.
 *
 *     deno run --allow-run=python3 --allow-read bench/float_bench.ts
 *
 * Each figure is a loop over the inputs calling the function, best of five
 * rounds; CPython's includes its interpreter's loop and call overhead, as
 * a CPython user pays it.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { floatToHex } from "../lib/float_exact_bits.ts";
import { exp2LikeGlibc, expLikeGlibc } from "../lib/float_like_glibc_exp.ts";
import { cbrtLikeGlibc } from "../lib/float_like_glibc_cbrt.ts";
import {
  coshLikeGlibc,
  expm1LikeGlibc,
  sinhLikeGlibc,
} from "../lib/float_like_glibc_expm1.ts";
import { log1pLikeGlibc } from "../lib/float_like_glibc_log.ts";
import { exactLog, exactLog2, log10LikeGlibc } from "../lib/float_exact_log.ts";
import {
  acoshLikeGlibc,
  asinhLikeGlibc,
  atanhLikeGlibc,
} from "../lib/float_exact_inverse_hyperbolic.ts";
import { exactTan } from "../lib/float_exact_trig.ts";
import { cosLikeGlibc, sinLikeGlibc } from "../lib/float_like_glibc_sin.ts";
import { erf, erfc } from "../lib/float_erf.ts";
import { acosLikeGlibc, asinLikeGlibc } from "../lib/float_like_glibc_asin.ts";
import { exactAtan, exactAtan2 } from "../lib/float_exact_atan.ts";
import { gamma, lgamma } from "../lib/math_special.ts";
import {
  copysign,
  fmod,
  frexp,
  nextafter,
  remainder,
  ulp,
} from "../lib/math_bits.ts";
import { modfTuple } from "../lib/math_float.ts";
import { MATH_MODULE } from "../lib/math_module.ts";
import type { PyFunction, PyValue } from "../lib/py_value.ts";
import { hypot } from "../lib/math_sum.ts";
import { floatPower } from "../lib/py_arith.ts";
import { Random } from "../scripts/float_cases.ts";

interface Subject {
  name: string;
  ours: (x: number) => number;
  /** JavaScript's own function, where `Math` has one. */
  js?: (x: number) => number;
  inputs: (random: Random) => number;
  /** The fixed first argument, for a function of two (`atan2`). */
  first?: number;
}

const SUBJECTS: Subject[] = [
  {
    name: "exp",
    ours: expLikeGlibc,
    js: Math.exp,
    inputs: (r) => r.uniform(-700, 700),
  },
  {
    name: "exp2",
    ours: exp2LikeGlibc,
    js: (x) => Math.pow(2, x),
    inputs: (r) => r.uniform(-1000, 1000),
  },
  {
    name: "expm1",
    ours: expm1LikeGlibc,
    js: Math.expm1,
    inputs: (r) => r.uniform(-30, 700),
  },
  {
    name: "log",
    ours: exactLog,
    js: Math.log,
    inputs: (r) => r.anyPositive(),
  },
  {
    name: "log2",
    ours: exactLog2,
    js: Math.log2,
    inputs: (r) => r.anyPositive(),
  },
  {
    name: "log10",
    ours: log10LikeGlibc,
    js: Math.log10,
    inputs: (r) => r.anyPositive(),
  },
  {
    name: "log1p",
    ours: log1pLikeGlibc,
    js: Math.log1p,
    inputs: (r) => r.uniform(-0.9, 100),
  },
  {
    name: "sin",
    ours: sinLikeGlibc,
    js: Math.sin,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "cos",
    ours: cosLikeGlibc,
    js: Math.cos,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "tan",
    ours: exactTan,
    js: Math.tan,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "cbrt",
    ours: cbrtLikeGlibc,
    js: Math.cbrt,
    inputs: (r) => r.uniform(-1e6, 1e6),
  },
  {
    name: "sinh",
    ours: sinhLikeGlibc,
    js: Math.sinh,
    inputs: (r) => r.uniform(-30, 30),
  },
  {
    name: "cosh",
    ours: coshLikeGlibc,
    js: Math.cosh,
    inputs: (r) => r.uniform(-30, 30),
  },
  {
    name: "asinh",
    ours: asinhLikeGlibc,
    js: Math.asinh,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "acosh",
    ours: acoshLikeGlibc,
    js: Math.acosh,
    inputs: (r) => r.uniform(1, 10),
  },
  {
    name: "atanh",
    ours: atanhLikeGlibc,
    js: Math.atanh,
    inputs: (r) => r.uniform(-1, 1),
  },
  {
    name: "asin",
    ours: asinLikeGlibc,
    js: Math.asin,
    inputs: (r) => r.uniform(-1, 1),
  },
  {
    name: "acos",
    ours: acosLikeGlibc,
    js: Math.acos,
    inputs: (r) => r.uniform(-1, 1),
  },
  {
    name: "atan",
    ours: exactAtan,
    js: Math.atan,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "atan2",
    ours: (x) => exactAtan2(0.75, x),
    js: (x) => Math.atan2(0.75, x),
    inputs: (r) => r.uniform(-10, 10),
    first: 0.75,
  },
  {
    name: "erf",
    ours: erf,
    inputs: (r) => r.uniform(-6, 6),
  },
  {
    name: "erfc",
    ours: erfc,
    inputs: (r) => r.uniform(-6, 28),
  },
  {
    name: "tanh",
    ours: Math.tanh,
    js: Math.tanh,
    inputs: (r) => r.uniform(-20, 20),
  },
  {
    name: "gamma",
    ours: gamma,
    inputs: (r) => r.uniform(-10, 170),
  },
  {
    name: "lgamma",
    ours: lgamma,
    inputs: (r) => r.uniform(-10, 1000),
  },
  {
    name: "pow",
    ours: (x) => floatPower(1.75, x),
    js: (x) => Math.pow(1.75, x),
    inputs: (r) => r.uniform(-100, 100),
    first: 1.75,
  },
  {
    name: "hypot",
    ours: (x) => hypot([0.75, x]),
    js: (x) => Math.hypot(0.75, x),
    inputs: (r) => r.uniform(-10, 10),
    first: 0.75,
  },
  {
    name: "fmod",
    ours: (x) => fmod(7.5, x),
    js: (x) => 7.5 % x,
    inputs: (r) => r.uniform(0.1, 10),
    first: 7.5,
  },
  {
    name: "remainder",
    ours: (x) => remainder(7.5, x),
    inputs: (r) => r.uniform(0.1, 10),
    first: 7.5,
  },
  {
    name: "sqrt",
    ours: Math.sqrt,
    js: Math.sqrt,
    inputs: (r) => r.uniform(0, 1e6),
  },
  {
    name: "fabs",
    ours: Math.abs,
    js: Math.abs,
    inputs: (r) => r.uniform(-10, 10),
  },
  {
    name: "copysign",
    ours: (x) => copysign(0.75, x),
    inputs: (r) => r.uniform(-10, 10),
    first: 0.75,
  },
  {
    name: "nextafter",
    ours: (x) => nextafter(0.75, x),
    inputs: (r) => r.uniform(-10, 10),
    first: 0.75,
  },
  {
    name: "frexp",
    ours: (x) => frexp(x)[0],
    inputs: (r) => r.uniform(-1e6, 1e6),
  },
  {
    name: "modf",
    ours: (x) => modfTuple(x).items[0] as number,
    inputs: (r) => r.uniform(-1e6, 1e6),
  },
  { name: "ulp", ours: ulp, inputs: (r) => r.uniform(-1e6, 1e6) },
  {
    name: "degrees",
    ours: (x) => degreesOf(x),
    inputs: (r) => r.uniform(-10, 10),
  },
];

const DEGREES = MATH_MODULE.attributes.get("degrees") as PyFunction;
const NO_KEYWORDS = new Map<string, PyValue>();

/** `math.degrees` as the calculator calls it. */
function degreesOf(x: number): number {
  return DEGREES.call([x], NO_KEYWORDS) as number;
}

// The results are summed here so that the calls cannot be optimized away.
let sink = 0;

/** Microseconds per call of `fn` over `xs`, best of five rounds. */
function timePerCall(fn: (x: number) => number, xs: Float64Array): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < xs.length; i++) sink += fn(xs[i]);
    best = Math.min(best, (performance.now() - start) * 1000 / xs.length);
  }
  return best;
}

const PYTHON_TIMER = `
import functools, json, math, sys, time
data = json.load(sys.stdin)
xs = [float.fromhex(h) for h in data["xs"]]
f = getattr(math, data["name"])
if "first" in data:
    f = functools.partial(f, data["first"])
def run(g):
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for x in xs:
            g(x)
        best = min(best, time.perf_counter() - t)
    return best
print(run(f) / len(xs) * 1e6)
`;

/**
 * CPython's microseconds per call of `math.<name>` over `xs`, after the
 * subject's fixed first argument if it has one.
 */
async function pythonPerCall(
  { name, first }: Subject,
  xs: Float64Array,
): Promise<number> {
  const child = new Deno.Command("python3", {
    args: ["-c", PYTHON_TIMER],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(
      JSON.stringify({ name, first, xs: Array.from(xs, floatToHex) }),
    ),
  );
  await writer.close();
  const { stdout } = await child.output();
  return Number(new TextDecoder().decode(stdout));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: { count: { type: "string", short: "n", default: "200000" } },
  });
  const count = Number(values.count);
  console.log("function   ours µs   Math.* µs   CPython µs   (per call)");
  sink = 0;
  for (const subject of SUBJECTS) {
    const random = new Random(3);
    const xs = Float64Array.from(
      { length: count },
      () => subject.inputs(random),
    );
    const ours = timePerCall(subject.ours, xs);
    const js = subject.js ? timePerCall(subject.js, xs).toFixed(3) : "—";
    const python = await pythonPerCall(subject, xs.slice(0, 50_000));
    console.log(
      `${subject.name.padEnd(8)} ${ours.toFixed(3).padStart(8)}` +
        ` ${js.padStart(11)} ${python.toFixed(3).padStart(12)}`,
    );
  }
}

if (import.meta.main) await main();
