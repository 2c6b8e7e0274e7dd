/**
 * Compares every float function with python3 on seeded random inputs and
 * writes the table docs/float_accuracy.md: per function, inputs compared,
 * identical replies and the largest difference in ulps.
 *
 *     deno run --allow-run=python3,deno --allow-read --allow-write=docs \
 *       scripts/float_compare.ts [--count 100000] [--seed 1] [--only exp,log]
 *
 * Inputs and replies travel as `float.hex` strings, so no decimal rounding
 * comes between the two sides. With `--show N` the first N disagreements of
 * each function are printed as JSON lines (inputs and both replies), ready
 * for tests/fixtures/float_hard_cases.json.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  floatToHex,
  hexToFloat,
  ulpDistance,
} from "../lib/float_exact_bits.ts";
import {
  FLOAT_CASES,
  type FloatCase,
  pythonReplies,
  Random,
} from "./float_cases.ts";

const USAGE = `Usage: float_compare.ts [options]
  -n, --count N    random inputs per function (default 100000)
  -s, --seed S     seed of the inputs (default 1)
      --only LIST  comma-separated functions to compare (default all)
      --show N     print the first N disagreements per function (default 0)
      --no-write   print the table only, do not write docs/float_accuracy.md
  -h, --help       print this help`;

const BATCH = 50_000;
const DOC_PATH = "docs/float_accuracy.md";

interface Row {
  name: string;
  inputs: number;
  identical: number;
  maxUlp: number;
  otherMismatches: number;
  /** The same counts for JavaScript's `Math.*`, when it has the function. */
  js?: { identical: number; maxUlp: number };
}

/** A disagreement: the arguments and both replies. */
interface Disagreement {
  fn: string;
  args: string[];
  cpython: string;
  ours: string;
}

function isFloatReply(reply: string): boolean {
  return !reply.startsWith("ERR") && reply !== "nan";
}

function tallyBaseline(
  tally: { identical: number; maxUlp: number },
  js: string,
  theirs: string,
): void {
  if (js === theirs) {
    tally.identical++;
  } else if (isFloatReply(js) && isFloatReply(theirs)) {
    const d = ulpDistance(hexToFloat(js), hexToFloat(theirs));
    tally.maxUlp = Math.max(tally.maxUlp, d);
  }
}

async function compareCase(
  fc: FloatCase,
  count: number,
  seed: number,
  show: number,
): Promise<[Row, Disagreement[]]> {
  const random = new Random(seed);
  const row: Row = {
    name: fc.name,
    inputs: 0,
    identical: 0,
    maxUlp: 0,
    otherMismatches: 0,
    js: fc.js && { identical: 0, maxUlp: 0 },
  };
  const shown: Disagreement[] = [];
  for (let done = 0; done < count; done += BATCH) {
    const args = Array.from(
      { length: Math.min(BATCH, count - done) },
      () => fc.generate(random),
    );
    const theirs = await pythonReplies(fc.python, args);
    args.forEach((list, i) => {
      const ours = fc.ours(list);
      row.inputs++;
      if (fc.js && row.js) tallyBaseline(row.js, fc.js(list), theirs[i]);
      if (ours === theirs[i]) {
        row.identical++;
        return;
      }
      if (isFloatReply(ours) && isFloatReply(theirs[i])) {
        const d = ulpDistance(hexToFloat(ours), hexToFloat(theirs[i]));
        row.maxUlp = Math.max(row.maxUlp, d);
      } else {
        row.otherMismatches++;
      }
      if (shown.length < show) {
        shown.push({
          fn: fc.name,
          args: list.map(floatToHex),
          cpython: theirs[i],
          ours,
        });
      }
    });
  }
  return [row, shown];
}

/** How each function is computed, for the table. */
const METHODS: Record<string, string> = {
  exp: "glibc's method, FMA build (ours)",
  exp2: "glibc's method (ours)",
  expm1: "glibc's method, FMA build (ours)",
  log: "correctly rounded (ours)",
  log2: "correctly rounded (ours)",
  log10: "glibc's method on our `log`",
  log1p: "glibc's method, FMA build (ours)",
  cbrt: "glibc's method (ours)",
  sinh: "glibc's method on our `expm1`, `exp`",
  cosh: "glibc's method on our `expm1`, `exp`",
  "**": "glibc's method, FMA build (ours; evaluator)",
  pow: "glibc's method, FMA build (ours)",
  sin: "glibc's method, FMA build (ours)",
  cos: "glibc's method, FMA build (ours)",
  tan: "correctly rounded (ours)",
  asin: "glibc's method, FMA build (ours)",
  acos: "glibc's method, FMA build (ours)",
  atan: "correctly rounded (ours)",
  atan2: "correctly rounded (ours)",
  asinh: "glibc's formula on our `log1p`, `log`",
  acosh: "glibc's formula on our `log1p`, `log`",
  atanh: "glibc's formula on our `log1p`",
  erf: "glibc's method on our `exp`",
  erfc: "glibc's method on our `exp`",
  gamma: "CPython's Lanczos method",
  lgamma: "CPython's Lanczos method",
  hypot: "CPython's method",
  fmod: "exact",
  remainder: "exact",
  sqrt: "exact (IEEE 754)",
  copysign: "exact",
  nextafter: "exact",
  ldexp: "exact",
  frexp: "exact",
  modf: "exact",
  ulp: "exact",
  fabs: "exact",
  degrees: "one multiplication, as CPython",
  radians: "one multiplication, as CPython",
  trunc: "exact",
  floor: "exact",
  ceil: "exact",
  fsum: "CPython's method (exact sum)",
  prod: "CPython's method",
  dist: "CPython's method",
};

const NOTES = `
## What the figures say

- Where CPython calls glibc and glibc's method can be followed from its
  published description, we follow it operation for operation, fused
  multiply-adds included (glibc 2.36 on x86-64 runs builds of \`exp\`,
  \`expm1\`, \`log1p\` and \`pow\` compiled for FMA; which products are
  fused was found by measuring each variant against CPython): \`exp\`,
  \`exp2\` (whose 128-entry table of 2^(i/128) we compute ourselves),
  \`pow\` and \`**\` (whose table of logarithms follows a published rule:
  1/c a multiple of 1/128 or 1/256 nearest the centre of each cell, log(c)
  rounded to a multiple of 2^-43 plus its remainder), \`expm1\`,
  \`log1p\`, \`cbrt\`, \`sin\` and \`cos\` (whose table of sin and cos of
  i/128 we compute ourselves too), \`asin\` and \`acos\`, \`sinh\`,
  \`cosh\`, \`erf\`, \`erfc\`, \`atanh\` and \`gamma\` reply as CPython on
  every input compared.
- glibc's \`log\`, \`log2\`, \`tan\`, \`atan\` and \`atan2\` rest on tables
  that cannot be derived, and copying glibc's tables is not allowed here:
  \`tan\`'s and \`atan\`'s points were found by a search whose rules are not
  published (each lands within 0.01 ulp of a double), \`atan\`'s and
  \`atan2\`'s table also holds fitted polynomial coefficients (up to 2.5e-4
  away from the Taylor ones), and \`log\`'s entries were picked among about
  2^30 candidates each. (\`asin\` and \`acos\` do follow glibc: their table
  is, but for noise in its last coefficients, the minimax polynomial of
  each cell of width 1/256 around its centre, regenerated by
  scripts/asin_table.py with an exact Remez solver, and their outer ranges
  use published constants.) These functions
  round correctly except, rarely, next to a tie. Ours round correctly
  always, so they differ from CPython exactly there (0.01 % to 0.15 % of
  random inputs, always by one ulp; every such input of \`atan\` and
  \`atan2\` was checked against an 80-digit evaluation, and
  glibc's was the misrounded reply). \`log10\` is glibc's formula on our
  \`log\`, and \`asinh\` and \`acosh\` call \`log\` for large arguments, so they
  share those differences; so does \`lgamma\`, which is CPython's own method
  on \`log\` and \`sin\`. The inputs found are in
  tests/fixtures/float_hard_cases.json.
- \`pow\` matters most where the exact power is halfway between two
  floats (x * x for x with 27 significant bits, say): there glibc's reply
  follows the sign of its internal error, not ties-to-even, so only the
  same operations give the same reply. V8's \`Math.pow\`, the former
  method, answers \`x ** 2\` as \`x * x\` and differs on those ties (its
  column above; the inputs draw many of them on purpose).
- \`lgamma\` loses its relative accuracy next to its zeros (x near 1, 2
  and the negative roots) in CPython as in ours: there a one-ulp
  difference in \`log\` becomes a large one in the result.
- The *Math.\\** columns show what JavaScript's own function would reply;
  \`Math.tanh\` agrees with glibc's \`tanh\` on every input, and is used.
`;

function formatTable(rows: Row[], count: number, seed: number): string {
  const lines = [
    "# Float functions beside CPython",
    "",
    "How often our float functions reply exactly as CPython 3.11 on x86-64",
    "Linux (glibc) does, on seeded random inputs spread over each domain:",
    "subnormals, huge values, values near zeros and poles, integers. An input",
    "counts as identical when both replies are the same float (bit for bit) or",
    "the same error. *Max ulp* is the largest distance between two float",
    "replies in units of the last place; *other* counts replies where one side",
    "raised an error or gave a NaN and the other did not. The *Math.\\**",
    "columns show what JavaScript's own function (Deno 2.9's V8) would",
    "reply on the same inputs, with CPython's errors: the state before the",
    "exact implementations.",
    "",
    `Regenerate with \`deno run --allow-run=python3,deno --allow-read` +
    ` --allow-write=docs scripts/float_compare.ts --count ${count}` +
    ` --seed ${seed}\` (\`deno task compare:float\` runs it with 100,000` +
    ` inputs and seed 1). \`deno task bench:float\` prints each function's` +
    ` cost per call beside JavaScript's \`Math.*\` and CPython's \`math\`.`,
    "",
    "| Function | Method | Inputs | Identical | Identical % | Max ulp |" +
    " Other | Math.\\* identical % | Math.\\* max ulp |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    const percent = (100 * row.identical / row.inputs).toFixed(3);
    const js = row.js
      ? `${(100 * row.js.identical / row.inputs).toFixed(3)} | ${row.js.maxUlp}`
      : "— | —";
    lines.push(
      `| \`${row.name}\` | ${METHODS[row.name] ?? "`Math.*` (V8)"} |` +
        ` ${row.inputs} | ${row.identical} | ${percent} |` +
        ` ${row.maxUlp} | ${row.otherMismatches} | ${js} |`,
    );
  }
  return lines.join("\n") + "\n" + NOTES;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    strict: true,
    options: {
      count: { type: "string", short: "n", default: "100000" },
      seed: { type: "string", short: "s", default: "1" },
      only: { type: "string", default: "" },
      show: { type: "string", default: "0" },
      "no-write": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const count = Number(values.count);
  const seed = Number(values.seed);
  const show = Number(values.show);
  if (![count, seed, show].every(Number.isInteger) || count <= 0) {
    console.error("--count, --seed and --show take integers\n" + USAGE);
    return 2;
  }
  const only = values.only === "" ? [] : values.only.split(",");
  const cases = FLOAT_CASES.filter((fc) =>
    only.length === 0 || only.includes(fc.name)
  );
  const rows: Row[] = [];
  for (const fc of cases) {
    const [row, shown] = await compareCase(fc, count, seed, show);
    rows.push(row);
    shown.forEach((d) => console.log(JSON.stringify(d)));
    console.error(`${row.name}: ${row.identical}/${row.inputs}`);
  }
  const table = formatTable(rows, count, seed);
  console.log(table);
  if (!values["no-write"] && only.length === 0) {
    await Deno.writeTextFile(DOC_PATH, table);
    // deno fmt's layout, so that the check of the tree stays clean.
    await new Deno.Command("deno", { args: ["fmt", "--quiet", DOC_PATH] })
      .output();
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
