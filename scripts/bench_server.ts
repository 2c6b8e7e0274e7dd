/**
 * Compares the sockcalc server with a minimal Deno TCP server that answers
 * every line with a constant and evaluates nothing: the same load for the
 * same time, alternating between them, then the ratios. Also measures the
 * memory each holds per idle connection, and what `--workers` adds.
 *
 * Usage: deno task bench:server [--duration 5s] [--rounds 3] [--idle 10000]
 *                               [--workers N]
 *
 * Both servers run as child processes on loopback and the load generator
 * runs in this process, so on a two-core machine each side has one core.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parseCount, parseDuration } from "../lib/cli.ts";
import { type BenchResult, runBench } from "../lib/bench.ts";
import { DEFAULT_EXPRESSIONS } from "../lib/bench_expressions.ts";

interface ServerUnderTest {
  name: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

interface Setting {
  name: string;
  connections: number;
  pipeline: number;
}

const SETTINGS: Setting[] = [
  { name: "50 connections, no pipelining", connections: 50, pipeline: 1 },
  { name: "50 connections, pipeline 32", connections: 50, pipeline: 32 },
];

const OPTIONS = {
  duration: { type: "string", default: "5s" },
  warmup: { type: "string", default: "1s" },
  rounds: { type: "string", default: "3" },
  idle: { type: "string", default: "10000" },
  workers: { type: "string", default: "2" },
} as const;

const root = new URL("../", import.meta.url);

/** Starts a program that prints `listening on ... HOST:PORT` to stderr, and waits for that line. */
async function startServer(
  name: string,
  args: string[],
): Promise<ServerUnderTest> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: root,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  let match: RegExpExecArray | null = null;
  while (!(match = /listening on (?:TCP )?127\.0\.0\.1:(\d+)/.exec(log))) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${name} ended before listening: ${log}`);
    log += value;
  }
  // Keep draining stderr so the child never blocks on a full pipe.
  const draining = (async () => {
    while (!(await reader.read()).done) { /* discard */ }
  })();
  return {
    name,
    port: Number(match[1]),
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      await child.status;
      await draining;
    },
  };
}

function startSockcalc(workers = 1, cache = true): Promise<ServerUnderTest> {
  const extra = [
    ...(workers > 1 ? ["--workers", String(workers)] : []),
    ...(cache ? [] : ["--cache-size", "0"]),
  ];
  const name = `sockcalc${workers > 1 ? ` --workers ${workers}` : ""}${
    cache ? "" : " (no cache)"
  }`;
  return startServer(name, [
    "run",
    "--unstable-net",
    "--allow-net",
    "--allow-sys=networkInterfaces",
    "--allow-env=NO_COLOR",
    "--allow-read",
    "server.ts",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--quiet",
    "--max-connections",
    "20000",
    ...extra,
  ]);
}

function startMinimal(): Promise<ServerUnderTest> {
  return startServer("minimal", [
    "run",
    "--allow-net",
    "scripts/minimal_server.ts",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
  ]);
}

/** Resident memory of a process in bytes, as `ps` reports it (Linux and macOS). */
async function residentBytes(pid: number): Promise<number> {
  const output = await new Deno.Command("ps", {
    args: ["-o", "rss=", "-p", String(pid)],
  }).output();
  return Number(new TextDecoder().decode(output.stdout).trim()) * 1024;
}

async function load(
  server: ServerUnderTest,
  setting: Setting,
  durationMs: number,
  warmupMs: number,
) {
  return await runBench({
    hostname: "127.0.0.1",
    port: server.port,
    connections: setting.connections,
    pipeline: setting.pipeline,
    durationMs,
    warmupMs,
    expressions: DEFAULT_EXPRESSIONS,
    timeoutMs: 10_000,
  });
}

interface Figures {
  rate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
}

function figuresOf(result: BenchResult): Figures {
  return {
    rate: result.achievedRate,
    p50: result.latency.percentile(50) / 1000,
    p99: result.latency.percentile(99) / 1000,
    max: result.latency.max / 1000,
    // Over TCP a timed-out connection is one of the connection errors.
    errors: result.connectionErrors,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each server's figures, round by round, under one setting. */
type Rounds = Map<string, Figures[]>;

/** Runs every setting against both servers, alternating, and prints each round. */
async function compareThroughput(
  servers: ServerUnderTest[],
  rounds: number,
  durationMs: number,
  warmupMs: number,
): Promise<Map<string, Rounds>> {
  const bySetting = new Map<string, Rounds>();
  for (const setting of SETTINGS) {
    console.log(
      `\n${setting.name}, ${rounds} rounds of ${
        durationMs / 1000
      } s each, alternating:`,
    );
    const rows: Rounds = new Map(servers.map((s) => [s.name, []]));
    for (let round = 1; round <= rounds; round++) {
      for (const server of round % 2 ? servers : [...servers].reverse()) {
        const figures = figuresOf(
          await load(server, setting, durationMs, warmupMs),
        );
        rows.get(server.name)!.push(figures);
        console.log(`  round ${round}  ${formatFigures(server.name, figures)}`);
      }
    }
    bySetting.set(setting.name, rows);
  }
  return bySetting;
}

/** Each server's median figures over its rounds. */
function mediansOf(rows: Rounds): Map<string, Figures> {
  const perServer = new Map<string, Figures>();
  for (const [name, list] of rows) {
    perServer.set(name, {
      rate: median(list.map((f) => f.rate)),
      p50: median(list.map((f) => f.p50)),
      p99: median(list.map((f) => f.p99)),
      max: Math.max(...list.map((f) => f.max)),
      errors: list.reduce((sum, f) => sum + f.errors, 0),
    });
  }
  return perServer;
}

function formatFigures(name: string, f: Figures): string {
  return `${name.padEnd(22)} ${
    Math.round(f.rate).toLocaleString("en-US").padStart(10)
  } req/s` +
    `  p50 ${f.p50.toFixed(3)} ms  p99 ${f.p99.toFixed(3)} ms  max ${
      f.max.toFixed(3)
    } ms` +
    (f.errors ? `  ${f.errors} errors` : "");
}

/** Opens `count` idle connections to each server and reports the memory each grew by. */
async function measureIdleMemory(
  servers: ServerUnderTest[],
  count: number,
): Promise<Map<string, number>> {
  console.log(
    `\nMemory: ${count.toLocaleString("en-US")} idle connections held open`,
  );
  const perConnection = new Map<string, number>();
  for (const server of servers) {
    const before = await residentBytes(server.pid);
    const conns: Deno.TcpConn[] = [];
    try {
      for (let i = 0; i < count; i += 500) {
        const batch = Math.min(500, count - i);
        conns.push(
          ...await Promise.all(
            Array.from(
              { length: batch },
              () => Deno.connect({ hostname: "127.0.0.1", port: server.port }),
            ),
          ),
        );
      }
      // Let the server accept them all and settle.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const grown = (await residentBytes(server.pid)) - before;
      perConnection.set(server.name, grown / count);
      console.log(
        `  ${server.name.padEnd(22)} ${(before / 2 ** 20).toFixed(1)} MiB -> ` +
          `${((before + grown) / 2 ** 20).toFixed(1)} MiB: ${
            (grown / count / 1024).toFixed(1)
          } KiB per connection`,
      );
    } finally {
      for (const conn of conns) conn.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return perConnection;
}

/**
 * Prints sockcalc's figures over the minimal server's, round by round and
 * their median. The two servers of a round ran one after the other, so a
 * round's ratio is steadier than a ratio of medians when something else
 * loads the machine for a while.
 */
function printRatios(bySetting: Map<string, Rounds>): void {
  console.log(
    "\nRatios, sockcalc / minimal, each round's and their median (targets in brackets):",
  );
  for (const [setting, rows] of bySetting) {
    const ours = rows.get("sockcalc")!;
    const minimal = rows.get("minimal")!;
    const rates = ours.map((f, i) => f.rate / minimal[i].rate);
    const p99s = ours.map((f, i) => f.p99 / minimal[i].p99);
    const target = setting.includes("pipeline 32") ? 0.8 : 0.9;
    const list = (ratios: number[]) =>
      ratios.map((r) => r.toFixed(2)).join(" ");
    console.log(
      `  ${setting}: throughput ${median(rates).toFixed(2)} [>= ${target}]` +
        ` (${list(rates)}), p99 latency ${median(p99s).toFixed(2)} [<= 1.5]` +
        ` (${list(p99s)})`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: OPTIONS,
    strict: true,
  });
  const durationMs = parseDuration(values.duration, "--duration");
  const warmupMs = parseDuration(values.warmup, "--warmup");
  const rounds = parseCount(values.rounds, "--rounds");
  const idle = parseCount(values.idle, "--idle", 0);
  const workers = parseCount(values.workers, "--workers", 1);
  console.log(
    `sockcalc server benchmark, ${new Date().toISOString().slice(0, 10)}, ` +
      `${navigator.hardwareConcurrency} cores, Deno ${Deno.version.deno}; ` +
      `the load generator is this process (1 thread), the servers are child processes`,
  );

  // The reply cache answers the built-in set's repeated expressions without
  // evaluating them; the uncached server shows what evaluation costs.
  const servers = [
    await startSockcalc(),
    await startMinimal(),
    await startSockcalc(1, false),
  ];
  try {
    // Memory first, while the servers are fresh: after a load their heaps
    // have grown, and new connections would reuse that room.
    if (idle > 0) await measureIdleMemory(servers.slice(0, 2), idle);
    const bySetting = await compareThroughput(
      servers,
      rounds,
      durationMs,
      warmupMs,
    );
    for (const [setting, rows] of bySetting) {
      console.log(`\nMedians, ${setting}:`);
      for (const [name, f] of mediansOf(rows)) {
        console.log(`  ${formatFigures(name, f)}`);
      }
    }
    printRatios(bySetting);
  } finally {
    for (const server of servers) await server.stop();
  }

  if (workers > 1) await compareWorkers(workers, durationMs, warmupMs);
}

/** Shows what `--workers` gives on this machine, beside a single server. */
async function compareWorkers(
  workers: number,
  durationMs: number,
  warmupMs: number,
): Promise<void> {
  console.log(
    `\n--workers ${workers} against one server, 50 connections, no pipelining ` +
      `(the generator uses 1 of the ${navigator.hardwareConcurrency} cores):`,
  );
  const setting = SETTINGS[0];
  for (const count of [1, workers]) {
    const server = await startSockcalc(count);
    try {
      const figures = figuresOf(
        await load(server, setting, durationMs, warmupMs),
      );
      console.log(`  ${formatFigures(server.name, figures)}`);
    } finally {
      await server.stop();
    }
  }
}

if (import.meta.main) await main();
