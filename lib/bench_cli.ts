/**
 * The command line of `sockcalc bench`: reads its options, runs the load
 * generator and shows the figures. Unlike the rest of `lib/`, this module
 * prints, because it is the bench command itself; `client.ts` only routes
 * to it.
 *
 * Exit status: 0 when the run completed, 2 for bad usage, 3 when the server
 * could not be reached or a connection failed during the run (refused,
 * turned away, broken or timed out), 130 when interrupted (Ctrl-C), after
 * the report of what was measured until then.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { type BenchOptions, type BenchResult, runBench } from "./bench.ts";
import { DEFAULT_EXPRESSIONS } from "./bench_expressions.ts";
import { formatProgress, formatReport, toJson } from "./bench_report.ts";
import {
  EXIT_USAGE,
  parseCount,
  parseDuration,
  parseHost,
  parsePort,
  parsePositiveDuration,
  parseServerAddress,
  toUsageError,
  UsageError,
} from "./cli.ts";
import { ConnectError } from "./client.ts";
import { painter, shouldColor, writeLine } from "./output.ts";
import { DEFAULT_PORT } from "./protocol.ts";

const EXIT_NO_CONNECTION = 3;
/** 128 + SIGINT's number, as shells report a program that Ctrl-C ended. */
const EXIT_INTERRUPTED = 130;
const DEFAULT_DURATION = "10s";
const DEFAULT_WARMUP = "1s";
const DEFAULT_TIMEOUT = "5s";
const MAX_PIPELINE = 65_536;

const USAGE = `sockcalc bench: a load generator for calc/1 servers

Usage:
  sockcalc bench [options] [HOST:PORT]

Options:
  -c, --conns N          connections (UDP: sockets) (default 50)
  -P, --pipeline N       requests in flight per connection (default 1)
  -d, --duration TIME    how long to measure, such as 10s (default ${DEFAULT_DURATION})
  -n, --requests N       measure this many requests instead of a duration
  -w, --warmup TIME      run this long first, not counted (default ${DEFAULT_WARMUP})
  -r, --rate R           send R requests per second in total; latency then
                         counts from when each request was due, so stalls show
  --exprs FILE           expressions to send, one per line; - reads them
                         from standard input (default: a built-in varied
                         set of ${DEFAULT_EXPRESSIONS.length})
  --udp                  send UDP datagrams instead of using TCP; after a
                         timeout a socket moves to a new port, so a late
                         reply is never taken for a later request's
  -t, --timeout TIME     how long to wait to connect and for each reply
                         (default ${DEFAULT_TIMEOUT})
  --host HOST            server name or address (default 127.0.0.1)
  -p, --port PORT        server port (default ${DEFAULT_PORT})
  --json                 print the figures as one JSON object
  --no-color             never colour the output
  -h, --help             show this help

Examples:
  sockcalc bench                              50 connections for 10 s
  sockcalc bench -P 32 -d 5s 192.168.0.10:5050
  sockcalc bench --rate 20000 --json

Exit status:
  0    the run completed
  2    bad usage
  3    could not connect, or a connection failed during the run: refused,
       turned away by a full server, broken, or no reply within --timeout
  130  interrupted (Ctrl-C); the figures measured until then are printed`;

const OPTIONS = {
  conns: { type: "string", short: "c", default: "50" },
  pipeline: { type: "string", short: "P", default: "1" },
  duration: { type: "string", short: "d" },
  requests: { type: "string", short: "n" },
  warmup: { type: "string", short: "w", default: DEFAULT_WARMUP },
  rate: { type: "string", short: "r" },
  exprs: { type: "string" },
  udp: { type: "boolean", default: false },
  timeout: { type: "string", short: "t", default: DEFAULT_TIMEOUT },
  host: { type: "string" },
  port: { type: "string", short: "p" },
  json: { type: "boolean", default: false },
  "no-color": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

interface Settings {
  options: Omit<BenchOptions, "expressions" | "signal" | "onProgress">;
  exprsFile: string | undefined;
  json: boolean;
  noColor: boolean;
}

/**
 * Runs `sockcalc bench` with the arguments after `bench`, printing to
 * stdout and stderr, and resolves with the exit status.
 *
 * @example
 * ```ts ignore
 * import { benchMain } from "./lib/bench_cli.ts";
 * Deno.exit(await benchMain(["--conns", "10", "-d", "2s", "127.0.0.1:5050"]));
 * ```
 */
export async function benchMain(args: string[]): Promise<number> {
  let settings: Settings | undefined;
  let expressions: readonly string[];
  try {
    settings = parseSettings(args);
    if (settings === undefined) {
      writeLine(Deno.stdout, USAGE);
      return 0;
    }
    expressions = await readExpressions(settings.exprsFile);
  } catch (error) {
    writeLine(Deno.stderr, `sockcalc bench: ${toUsageError(error).message}`);
    writeLine(Deno.stderr, "Try 'sockcalc bench --help' for the options.");
    return EXIT_USAGE;
  }
  return await run(settings, expressions);
}

/** Reads the options, or returns `undefined` when help was asked for. */
function parseSettings(args: string[]): Settings | undefined {
  const { values, positionals } = parseArgs({
    args,
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return undefined;
  if (values.duration !== undefined && values.requests !== undefined) {
    throw new UsageError("Give either --duration or --requests, not both");
  }
  const { hostname, port } = parseTarget(values, positionals);
  return {
    options: {
      hostname,
      port,
      connections: parseCount(values.conns, "--conns"),
      pipeline: parsePipeline(values.pipeline),
      ...(values.requests === undefined
        ? {
          durationMs: parsePositiveDuration(
            values.duration ?? DEFAULT_DURATION,
            "--duration",
          ),
        }
        : { requests: parseCount(values.requests, "--requests") }),
      warmupMs: parseDuration(values.warmup, "--warmup"),
      rate: values.rate === undefined ? undefined : parseRate(values.rate),
      udp: values.udp,
      timeoutMs: parsePositiveDuration(values.timeout, "--timeout"),
    },
    exprsFile: values.exprs,
    json: values.json,
    noColor: values["no-color"],
  };
}

function parseTarget(
  values: { host?: string; port?: string },
  positionals: string[],
): { hostname: string; port: number } {
  if (positionals.length > 1) {
    throw new UsageError(
      `Unexpected argument "${positionals[1]}": give at most one HOST:PORT`,
    );
  }
  if (positionals.length === 0) {
    return {
      hostname: parseHost(values.host ?? "127.0.0.1"),
      port: values.port === undefined
        ? DEFAULT_PORT
        : parsePort(values.port, "--port"),
    };
  }
  const target = parseServerAddress(positionals[0]);
  if (!target) {
    throw new UsageError(
      `Invalid server "${
        positionals[0]
      }": use HOST:PORT, such as 127.0.0.1:5050`,
    );
  }
  if (values.host !== undefined || values.port !== undefined) {
    throw new UsageError(
      `Give the server either as ${
        positionals[0]
      } or with --host/--port, not both`,
    );
  }
  return target;
}

function parsePipeline(text: string): number {
  const pipeline = parseCount(text, "--pipeline");
  if (pipeline > MAX_PIPELINE) {
    throw new UsageError(
      `Invalid value for --pipeline: "${text}" (use at most ${MAX_PIPELINE})`,
    );
  }
  return pipeline;
}

function parseRate(text: string): number {
  const rate = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (!(rate > 0)) {
    throw new UsageError(
      `Invalid value for --rate: "${text}" (use requests per second, more than 0)`,
    );
  }
  return rate;
}

/** Reads the expressions to send, one per line, from a file or, for `-`, stdin. */
async function readExpressions(
  file: string | undefined,
): Promise<readonly string[]> {
  if (file === undefined) return DEFAULT_EXPRESSIONS;
  let text: string;
  try {
    text = file === "-"
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(file);
  } catch (error) {
    throw new UsageError(
      `Cannot read --exprs file "${file}": ${explainReadError(error, file)}`,
    );
  }
  const expressions = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (expressions.length === 0) {
    throw new UsageError(
      `Cannot use --exprs file "${file}": it has no expressions`,
    );
  }
  return expressions;
}

function explainReadError(error: unknown, file: string): string {
  if (error instanceof Deno.errors.NotFound) return "no such file";
  if (error instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (error instanceof Deno.errors.NotCapable) {
    // Run by `deno run` without --allow-read.
    return `Deno was not given --allow-read; pass the file on standard input: --exprs - < ${file}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs the benchmark with a progress line on a terminal, then reports. */
async function run(
  settings: Settings,
  expressions: readonly string[],
): Promise<number> {
  const colorErr = shouldColor(Deno.stderr, settings.noColor);
  const paintErr = painter(colorErr);
  const live = Deno.stderr.isTerminal();
  const controller = new AbortController();
  const interrupt = () => controller.abort();
  Deno.addSignalListener("SIGINT", interrupt);
  try {
    const result = await runBench({
      ...settings.options,
      expressions,
      signal: controller.signal,
      onProgress: live
        ? (progress) =>
          writeProgress(paintErr("detail", formatProgress(progress)))
        : undefined,
    });
    if (live) writeProgress("");
    if (settings.json) {
      writeLine(Deno.stdout, JSON.stringify(toJson(result)));
    } else {
      const paint = painter(shouldColor(Deno.stdout, settings.noColor));
      for (const line of formatReport(result, paint)) {
        writeLine(Deno.stdout, line);
      }
    }
    return exitStatusOf(result, controller.signal.aborted);
  } catch (error) {
    if (live) writeProgress("");
    if (!(error instanceof ConnectError)) throw error;
    writeLine(
      Deno.stderr,
      paintErr("error", `sockcalc bench: ${error.message}`),
    );
    return EXIT_NO_CONNECTION;
  } finally {
    Deno.removeSignalListener("SIGINT", interrupt);
  }
}

/** Interrupted comes first: whoever pressed Ctrl-C knows the run was cut short. */
function exitStatusOf(result: BenchResult, interrupted: boolean): number {
  if (interrupted) return EXIT_INTERRUPTED;
  return result.connectionErrors > 0 ? EXIT_NO_CONNECTION : 0;
}

/** Replaces the progress line on the terminal; empty text clears it. */
function writeProgress(text: string): void {
  const bytes = new TextEncoder().encode(`\r\x1b[2K${text}`);
  for (let written = 0; written < bytes.length;) {
    written += Deno.stderr.writeSync(bytes.subarray(written));
  }
}
