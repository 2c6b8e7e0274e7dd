/**
 * Benchmark of `evaluateToReply()` against CPython's `eval`.
 *
 * Run with `deno task bench`. It prints, for sets of realistic expressions,
 * the time per expression of ours and of CPython 3.11 (`repr(eval(expr,
 * NS))`, compiling each time, exceptions caught) and their ratio, each the
 * median of several rounds after a warm-up; then, for adversarial
 * expressions, our time on the first run of each after the warm-up the
 * server does before it announces itself (`evaluator_warm_up.ts`), and the
 * worst and best of a few runs after it. Each adversarial expression runs in a child `deno` process
 * that is killed after a time limit, so an evaluator that never returns
 * shows up as a timeout instead of stalling the benchmark. It prints
 * figures only and asserts nothing.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { evaluateToReply } from "../lib/evaluate.ts";
import { warmUpEvaluator } from "../lib/evaluator_warm_up.ts";
import { hasPython, PYTHON_NAMESPACE_SOURCE } from "../tests/python_oracle.ts";

/** Realistic expressions, by kind: what students type into a calculator. */
const REALISTIC_SETS: Record<string, string[]> = {
  classroom: [
    "1 + 2",
    "2 + 3 * 4",
    "(2 + 3) * 4",
    "10 - 4 - 3",
    "7 // 2",
    "-7 // 2",
    "17 % 5 + 3 * (2 - 8)",
    "2 ** 10",
    "100 / 7",
    "((1 + 2) * (3 + 4) - 5) // 2",
  ],
  floats: [
    "0.1 + 0.2",
    "3.14 * 2.5 ** 2",
    "1 / 3",
    "2.5e-3 * 4e8",
    "1e308 * 10",
    "-0.0",
    "round(2.675, 2)",
    "float(7) / 2",
    "abs(-3.5)",
    "1.5 // 0.4",
  ],
  math: [
    "sqrt(2)",
    "math.sin(math.pi / 6)",
    "log(100, 10)",
    "exp(1)",
    "hypot(3, 4)",
    "math.gcd(48, 180)",
    "comb(52, 5)",
    "floor(-2.5)",
    "degrees(atan2(1, 1))",
    "math.fsum((0.1, 0.2, 0.3))",
  ],
  "tuples, logic": [
    "divmod(17, 5)",
    "(1, 2) + (3,)",
    "max(3, 9, 4)",
    "min((5, 2, 8))",
    "1 < 2 < 3",
    "not 0 or 5",
    "3 if 2 > 1 else 4",
    "(1, 2) < (1, 3)",
    "math.frexp(8.0)",
    "True + True",
  ],
  "big ints": [
    "2 ** 100",
    "10 ** 60 // 7",
    "factorial(50)",
    "12345678901234567890 * 98765432109876543210",
    "2 ** 64 - 1",
    "pow(3, 200, 10 ** 9 + 7)",
    "isqrt(10 ** 40)",
    "1 << 100",
    "-2 ** 127 % 1000003",
    "int(1e20)",
  ],
  errors: [
    "1 / 0",
    "1 // 0",
    "sqrt(-1)",
    "math.log(0)",
    "1 + (2,)",
    "foo",
    "2 +",
    "(1, 2)[5]",
    "factorial(-1)",
    "'abc'",
  ],
};

/** The longest request the server accepts, in bytes. */
const MAX_REQUEST = 64 * 1024;

/** `count` copies of `item` joined by `separator`, as long as fits. */
function fill(item: string, separator: string, room = MAX_REQUEST): string {
  const count = Math.floor(
    (room + separator.length) / (item.length +
      separator.length),
  );
  return Array(count).fill(item).join(separator);
}

/**
 * Expressions built to be slow or huge, which the limits must cut short,
 * the dearest ones just inside the limits, and requests of the full 64 KiB built to be slow to parse: the ones
 * ending in `[1]` make the fast parser give up at the very end, so the
 * full tokenizer and parser read them again.
 */
const ADVERSARIAL: string[] = [
  "9**9**9**9",
  "1<<10**9",
  "factorial(10**7)",
  "2**100000*2**100000",
  "10**10**8",
  "comb(10**6, 5*10**5)",
  "perm(10**6)",
  "isqrt(10**200000)",
  "factorial(25700) % 1000003",
  "comb(10**9, 9900) % 1000003",
  "gcd(3**63000 * 7, 5**43000 * 7)",
  "(1,)*10**8",
  "-".repeat(10_000) + "1",
  "(".repeat(5_000) + "1" + ")".repeat(5_000),
  Array(10_000).fill("1").join("+"),
  Array(10_000).fill("2").join("**"),
  Array(10_000).fill("1").join(" if 1 else "),
  "max(" + Array(10_000).fill("1.5").join(", ") + ")",
  fill("1", "+"),
  fill("1", "+", MAX_REQUEST - 4) + "+[1]",
  fill("1", ","),
  fill("1", ",", MAX_REQUEST - 4) + ",[1]",
  "max(" + fill("1.5", ",", MAX_REQUEST - 5) + ")",
  "max(" + fill("1.5", ",", MAX_REQUEST - 9) + ",[1])",
  fill("1", "<"),
  "-".repeat(MAX_REQUEST - 1) + "1",
  "math" + ".pi".repeat((MAX_REQUEST - 4) / 3),
  "max(1," + keywordArguments(MAX_REQUEST - 7) + ")",
  fill("1", "+\\\n"),
];

/** `a0=1,a1=1,...` as long as fits in `room` characters. */
function keywordArguments(room: number): string {
  const parts: string[] = [];
  let length = -1;
  for (let i = 0; length + `,a${i}=1`.length <= room; i++) {
    parts.push(`a${i}=1`);
    length += `,a${i}=1`.length;
  }
  return parts.join(",");
}

/** Each set is timed in `ROUNDS` rounds of `ROUND_MS`; the median counts. */
const ROUNDS = 25;
const ROUND_MS = 40;
const WARM_UP_PASSES = 50;
const ADVERSARIAL_RUNS = 5;
const CHILD_TIME_LIMIT_MS = 20_000;

/**
 * CPython's side: it reads the sets as one JSON line, warms up, says
 * `ready`, then answers each set name it reads with its time per
 * expression over one round, so that its rounds alternate with ours.
 */
const CPYTHON_TIMING_SCRIPT = `
import json, sys, time
${PYTHON_NAMESPACE_SOURCE}

def run(exprs):
    return [reply(expr) for expr in exprs]

def round_micros(exprs):
    passes, start = 0, time.perf_counter()
    while time.perf_counter() - start < ${ROUND_MS / 1000}:
        run(exprs)
        passes += 1
    return (time.perf_counter() - start) * 1e6 / (passes * len(exprs))

sets = json.loads(sys.stdin.readline())
for _ in range(${WARM_UP_PASSES}):
    for exprs in sets.values():
        run(exprs)
print("ready", flush=True)
for name in sys.stdin:
    print(round_micros(sets[name.strip()]), flush=True)
`;

/** A `python3` process that times rounds of the sets on request. */
class CPythonTimer {
  readonly #child: Deno.ChildProcess;
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #lines: AsyncIterator<string>;

  constructor(sets: Record<string, string[]>) {
    this.#child = new Deno.Command("python3", {
      args: ["-c", CPYTHON_TIMING_SCRIPT],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    this.#writer = this.#child.stdin.getWriter();
    this.#lines = readLines(this.#child.stdout);
    this.#send(JSON.stringify(sets));
  }

  /** Waits until CPython has warmed up. */
  async ready(): Promise<void> {
    await this.#readLine();
  }

  /** CPython's time per expression of the set `name` over one round. */
  async roundMicros(name: string): Promise<number> {
    await this.#send(name);
    return Number(await this.#readLine());
  }

  async close(): Promise<void> {
    await this.#writer.close();
    await this.#child.status;
  }

  #send(line: string): Promise<void> {
    return this.#writer.write(new TextEncoder().encode(`${line}\n`));
  }

  async #readLine(): Promise<string> {
    const { done, value } = await this.#lines.next();
    if (done) throw new Error("python3 stopped before answering");
    return value;
  }
}

async function* readLines(
  stream: ReadableStream<Uint8Array>,
): AsyncGenerator<string> {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    pending += text;
    const lines = pending.split("\n");
    pending = lines.pop()!;
    yield* lines;
  }
}

function runSet(exprs: readonly string[]): number {
  let length = 0;
  for (const expr of exprs) length += evaluateToReply(expr).length;
  return length;
}

/** Our mean time per expression of `exprs` in one round, in microseconds. */
function roundMicros(exprs: readonly string[]): number {
  let passes = 0;
  const start = performance.now();
  while (performance.now() - start < ROUND_MS) {
    runSet(exprs);
    passes++;
  }
  return (performance.now() - start) * 1000 / (passes * exprs.length);
}

/**
 * Inputs outside the fast parser's subset, which go through the full
 * tokenizer and parser; the realistic sets hardly ever do.
 */
const FULL_PARSER_INPUTS: string[] = [
  "1 2",
  "[1, 2]",
  "1 +\\\n2",
  "f(a=1, a=2)",
  "(1 if 2 else lambda: 3)",
  "3 if 4 else",
  "2 ** 3j",
];

/** Warms up as the server does before its first request, and more. */
function warmUp(): void {
  const all = Object.values(REALISTIC_SETS).flat().concat(FULL_PARSER_INPUTS);
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) runSet(all);
  warmUpEvaluator();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Per set, the median times of ours and of CPython (when present), and
 * the ratio of the two in each round, CPython's time over ours.
 */
interface Medians {
  ours: Record<string, number>;
  cpython: Record<string, number> | undefined;
  roundRatios: Record<string, number[]>;
}

/**
 * Times every set in `ROUNDS` rounds, ours and CPython's in turn, so a
 * passing slowdown of the shared machine touches both sides alike and the
 * median discards it.
 */
async function measureSets(sets: Record<string, string[]>): Promise<Medians> {
  warmUp();
  const python = hasPython() ? new CPythonTimer(sets) : undefined;
  await python?.ready();
  const ours: Record<string, number[]> = {};
  const theirs: Record<string, number[]> = {};
  for (const name of Object.keys(sets)) [ours[name], theirs[name]] = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, exprs] of Object.entries(sets)) {
      ours[name].push(roundMicros(exprs));
      if (python) theirs[name].push(await python.roundMicros(name));
    }
  }
  await python?.close();
  const medians = (times: Record<string, number[]>) =>
    Object.fromEntries(
      Object.entries(times).map(([name, t]) => [name, median(t)]),
    );
  const roundRatios = Object.fromEntries(
    Object.keys(sets).map((name) => [
      name,
      theirs[name].map((micros, round) => micros / ours[name][round]),
    ]),
  );
  return {
    ours: medians(ours),
    cpython: python && medians(theirs),
    roundRatios,
  };
}

function formatMicros(micros: number | undefined): string {
  return micros === undefined ? "n/a" : micros.toFixed(2);
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) =>
    i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])
  ).join("  ");
}

async function benchRealistic(): Promise<void> {
  const sets = { ...REALISTIC_SETS, all: Object.values(REALISTIC_SETS).flat() };
  const { ours, cpython, roundRatios } = await measureSets(sets);

  const widths = [14, 5, 15, 15, 8, 13];
  console.log(
    `Realistic expressions, medians of ${ROUNDS} alternating rounds; the ` +
      "ratio is the median of the rounds' ratios (target: ours >= 10x faster)",
  );
  const header = ["set", "exprs", "ours µs/expr", "CPython µs/expr", "ratio"];
  console.log(row([...header, "rounds' range"], widths));
  for (const [name, exprs] of Object.entries(sets)) {
    const ratios = roundRatios[name];
    const times = [formatMicros(ours[name]), formatMicros(cpython?.[name])];
    const ratioCells = cpython === undefined
      ? ["n/a", ""]
      : [`${median(ratios).toFixed(1)}x`, ratioRange(ratios)];
    console.log(
      row([name, String(exprs.length), ...times, ...ratioCells], widths),
    );
  }
  if (cpython === undefined) console.log("CPython: python3 3.11 not on PATH");
}

/** The lowest and highest of `ratios`, as `7.9-13.1x`. */
function ratioRange(ratios: number[]): string {
  const low = Math.min(...ratios).toFixed(1);
  return `${low}-${Math.max(...ratios).toFixed(1)}x`;
}

/** `text` on one line of at most 60 characters. */
function preview(text: string): string {
  const line = text.replaceAll("\n", "\\n");
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}

/**
 * Times of one input: its first evaluation, and the worst and best of the
 * next few, and its reply.
 */
interface Timing {
  firstMs: number;
  worstMs: number;
  bestMs: number;
  reply: string;
}

/**
 * Times `expr` after warm-up: once while the JIT has not yet seen an input
 * so long, then `ADVERSARIAL_RUNS` times more.
 */
function measureRuns(expr: string): Timing {
  warmUp();
  let start = performance.now();
  evaluateToReply(expr);
  const firstMs = performance.now() - start;
  const timing = { firstMs, worstMs: 0, bestMs: Infinity, reply: "" };
  for (let run = 0; run < ADVERSARIAL_RUNS; run++) {
    start = performance.now();
    timing.reply = evaluateToReply(expr);
    const ms = performance.now() - start;
    timing.worstMs = Math.max(timing.worstMs, ms);
    timing.bestMs = Math.min(timing.bestMs, ms);
  }
  return timing;
}

async function measureInChild(expr: string): Promise<string> {
  const child = new Deno.Command("deno", {
    args: ["run", import.meta.url, `--child=${expr}`],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(CHILD_TIME_LIMIT_MS),
  });
  const { success, signal, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  if (signal !== null) return `over ${CHILD_TIME_LIMIT_MS / 1000} s (killed)`;
  if (!success) return `crashed: ${preview(decoder.decode(stderr).trim())}`;
  const { firstMs, worstMs, bestMs, reply }: Timing = JSON.parse(
    decoder.decode(stdout),
  );
  const times = [firstMs, worstMs, bestMs].map((ms) =>
    ms.toFixed(2).padStart(8)
  );
  return `${times.join(" ")}  ${preview(reply)}`;
}

async function benchAdversarial(): Promise<void> {
  console.log(
    "\nAdversarial expressions, ms: the first run, then the worst and best " +
      `of ${ADVERSARIAL_RUNS} more (target: warm worst about 10 ms or less)`,
  );
  console.log(
    `${"expression".padEnd(60)}  ${"first".padStart(8)} ` +
      `${"worst".padStart(8)} ${"best".padStart(8)}  reply`,
  );
  for (const expr of ADVERSARIAL) {
    console.log(`${preview(expr).padEnd(60)}  ${await measureInChild(expr)}`);
  }
}

const USAGE = `Usage: deno run --allow-run=python3,deno bench/evaluate_bench.ts

Times evaluateToReply() on realistic expressions against CPython's eval, then
its worst case on adversarial expressions.

Options:
  -h, --help      Show this help
  --child EXPR    Internal: time EXPR alone and print JSON (used per
                  adversarial expression, in a child process)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      help: { type: "boolean", short: "h", default: false },
      child: { type: "string" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.child !== undefined) {
    console.log(JSON.stringify(measureRuns(values.child)));
    return;
  }
  await benchRealistic();
  await benchAdversarial();
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    if (!(error instanceof TypeError && "code" in error)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    Deno.exit(2);
  }
}
