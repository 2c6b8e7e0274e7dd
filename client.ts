/**
 * sockcalc: the calculator client's command line.
 *
 * Sends expressions from the arguments, from piped standard input, or from
 * an interactive prompt, and prints each reply. Exit status: 0 when every
 * reply is a value, 1 when at least one is an error, 2 for bad usage, 3 when
 * the server could not be reached or the connection was lost.
 *
 * @module
 */

import { createInterface } from "node:readline/promises";
import process from "node:process";
import { parseArgs } from "node:util";
import {
  EXIT_USAGE,
  parseCount,
  parseHost,
  parsePort,
  parsePositiveDuration,
  parseServerAddress,
  toUsageError,
  UsageError,
  VERSION,
} from "./lib/cli.ts";
import { benchMain } from "./lib/bench_cli.ts";
import {
  type Answer,
  connect,
  ConnectError,
  ConnectionLostError,
} from "./lib/client.ts";
import { resolveHost } from "./lib/network.ts";
import { type Painter, painter, shouldColor, writeLine } from "./lib/output.ts";
import { DEFAULT_PORT, parseReply } from "./lib/protocol.ts";
import { Tracer } from "./lib/trace.ts";
import {
  DatagramTooLongError,
  NoReplyError,
  UdpCalculator,
} from "./lib/udp_client.ts";

const EXIT_ERROR_REPLY = 1;
const EXIT_NO_CONNECTION = 3;
const DEFAULT_TCP_TIMEOUT = "5s";
const DEFAULT_UDP_TIMEOUT = "1s";
const DEFAULT_UDP_RETRIES = 3;

/** What the client talks to: a TCP connection, or the UDP service. */
interface Calculator extends AsyncDisposable {
  readonly target: string;
  readonly ended: Promise<Error>;
  request(expression: string): Promise<Answer>;
  waitForRoom(): Promise<void>;
}

const USAGE = `sockcalc ${VERSION}: a client for the sockcalc calculator server

Usage:
  sockcalc [options] [HOST:PORT] [EXPRESSION...]
  command | sockcalc [options]          one expression per input line
  sockcalc [options]                    interactive prompt on a terminal
  sockcalc bench [options] [HOST:PORT]  load-test a server (see sockcalc bench --help)

Options:
  --host HOST          server name or address (default 127.0.0.1)
  -p, --port PORT      server port (default ${DEFAULT_PORT})
  -t, --timeout DURATION
                       how long to wait to connect and for each reply,
                       such as 500ms or 5s (default ${DEFAULT_TCP_TIMEOUT}; with --udp ${DEFAULT_UDP_TIMEOUT})
  --udp                send each expression in a UDP datagram instead of over TCP
  --retries N          with --udp, how many times to send again when no reply
                       comes (default ${DEFAULT_UDP_RETRIES})
  --trace              show every socket primitive on stderr as it happens
  --json               one JSON object per result
  --no-color           never colour the output
  -h, --help           show this help
  -V, --version        show the version

Examples:
  sockcalc "3+8+5"                 prints 16
  sockcalc 192.168.0.10:5050 "2**100" "1/0"
  sockcalc -- -3+1                 an expression starting with - goes after --
  cat exprs.txt | sockcalc --json

Exit status: 0 all replies are values, 1 some reply is an error,
2 bad usage, 3 could not connect, the connection was lost, or a full
server turned it away.`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string", short: "p" },
  timeout: { type: "string", short: "t" },
  udp: { type: "boolean", default: false },
  retries: { type: "string" },
  trace: { type: "boolean", default: false },
  json: { type: "boolean", default: false },
  "no-color": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "V", default: false },
} as const;

interface Settings {
  hostname: string;
  port: number;
  timeoutMs: number;
  /** Tries after the first, over UDP; `undefined` means TCP. */
  udpRetries?: number;
  trace: boolean;
  json: boolean;
  expressions: string[];
  paint: Painter;
}

type Command = { kind: "help" } | { kind: "version" } | {
  kind: "run";
  settings: Settings;
};

/**
 * The expressions in one argument: each of its lines, as from piped input,
 * since a request is one line (`"$(cat exprs.txt)"` holds several).
 */
function splitLines(argument: string): string[] {
  const lines = argument.split(/\r\n|\n|\r/);
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function parseCommand(args: string[]): Command {
  const { values, positionals } = parseArgs({
    args,
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  let hostname = parseHost(values.host ?? "127.0.0.1");
  let port = values.port === undefined
    ? DEFAULT_PORT
    : parsePort(values.port, "--port");
  const target = positionals.length > 0
    ? parseServerAddress(positionals[0])
    : undefined;
  if (target) {
    if (values.host !== undefined || values.port !== undefined) {
      throw new UsageError(
        `Give the server either as ${
          positionals[0]
        } or with --host/--port, not both`,
      );
    }
    ({ hostname, port } = target);
  }
  return {
    kind: "run",
    settings: {
      hostname,
      port,
      timeoutMs: parsePositiveDuration(
        values.timeout ??
          (values.udp ? DEFAULT_UDP_TIMEOUT : DEFAULT_TCP_TIMEOUT),
        "--timeout",
      ),
      udpRetries: parseRetries(values.udp, values.retries),
      trace: values.trace,
      json: values.json,
      expressions: (target ? positionals.slice(1) : positionals)
        .flatMap(splitLines),
      paint: painter(shouldColor(Deno.stdout, values["no-color"])),
    },
  };
}

function parseRetries(
  udp: boolean,
  retries: string | undefined,
): number | undefined {
  if (!udp) {
    if (retries !== undefined) {
      throw new UsageError("--retries only applies with --udp");
    }
    return undefined;
  }
  return retries === undefined
    ? DEFAULT_UDP_RETRIES
    : parseCount(retries, "--retries", 0);
}

/** Prints one answer and tells whether it was a value (not an error). */
function printAnswer(answer: Answer, settings: Settings): boolean {
  const parsed = parseReply(answer.reply);
  if (settings.json) {
    const ms = Math.round(answer.milliseconds * 1000) / 1000;
    const result = parsed.ok
      ? { expression: answer.expression, ok: true, value: parsed.value, ms }
      : {
        expression: answer.expression,
        ok: false,
        error: { type: parsed.type, message: parsed.message },
        ms,
      };
    writeLine(Deno.stdout, JSON.stringify(result));
  } else {
    writeLine(
      Deno.stdout,
      parsed.ok ? answer.reply : settings.paint("error", answer.reply),
    );
  }
  return parsed.ok;
}

/**
 * Sends every expression without waiting for replies, and prints replies in
 * order as they come. Resolves with whether all replies were values; rejects
 * with the first failure (the connection lost, say) once the replies before
 * it are printed, without waiting for more input.
 */
async function pipeline(
  calc: Calculator,
  expressions: AsyncIterable<string> | Iterable<string>,
  settings: Settings,
): Promise<boolean> {
  let allOk = true;
  let failure: { error: unknown } | undefined;
  const abandoned = Promise.withResolvers<IteratorReturnResult<undefined>>();
  let printed = Promise.resolve();
  const input = asyncIterator(expressions);
  while (true) {
    const next = await Promise.race([input.next(), abandoned.promise]);
    if (next.done) break;
    await calc.waitForRoom();
    const answer = calc.request(next.value);
    // Chained, so replies print in request order even as more are sent. The
    // chain keeps the first failure rather than rejecting, since nothing
    // awaits it until the input ends.
    printed = printed.then(async () => {
      if (failure) return;
      try {
        if (!printAnswer(await answer, settings)) allOk = false;
      } catch (error) {
        failure = { error };
        abandoned.resolve({ done: true, value: undefined });
      }
    });
    answer.catch(() => {});
  }
  await printed;
  if (failure) throw failure.error;
  return allOk;
}

function asyncIterator<T>(
  items: AsyncIterable<T> | Iterable<T>,
): AsyncIterator<T> {
  if (Symbol.asyncIterator in items) return items[Symbol.asyncIterator]();
  const iterator = items[Symbol.iterator]();
  return { next: () => Promise.resolve(iterator.next()) };
}

async function* stdinLines(): AsyncIterable<string> {
  const lines = createInterface({
    input: process.stdin,
    crlfDelay: Infinity,
    terminal: false,
  });
  try {
    for await (const line of lines) yield line;
  } finally {
    lines.close();
  }
}

/**
 * Asks for expressions at a prompt, one at a time, until `exit` or Ctrl-D.
 * Lines typed or pasted ahead wait their turn rather than being lost.
 */
async function interact(
  calc: Calculator,
  settings: Settings,
): Promise<boolean> {
  const prompt = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: true,
    historySize: 1000,
  });
  writeLine(
    Deno.stdout,
    settings.paint(
      "detail",
      `Connected to ${calc.target}. Type an expression, or exit to quit.`,
    ),
  );
  let allOk = true;
  const lines = prompt[Symbol.asyncIterator]();
  // A server that goes away is reported at once, not at the next line typed.
  const lost = calc.ended.then((error) => ({ done: true, error }) as const);
  try {
    prompt.setPrompt("calc> ");
    prompt.prompt();
    while (true) {
      const next = await Promise.race([lines.next(), lost]);
      if ("error" in next) {
        writeLine(Deno.stdout, "");
        throw next.error;
      }
      if (next.done) break;
      const line: string = next.value;
      if (line.trim() === "exit") break;
      if (
        line.trim() !== "" && !printAnswer(await calc.request(line), settings)
      ) {
        allOk = false;
      }
      prompt.prompt();
    }
  } finally {
    prompt.close();
  }
  return allOk;
}

/** Opens the TCP connection, or prepares the UDP service, that `settings` ask for. */
async function openCalculator(settings: Settings): Promise<Calculator> {
  const trace = settings.trace
    ? new Tracer(
      "client",
      (line) => writeLine(Deno.stderr, line),
      painter(shouldColor(Deno.stderr)),
    )
    : undefined;
  if (settings.udpRetries === undefined) {
    return await connect({ ...settings, trace });
  }
  return new UdpCalculator({
    address: await resolveForUdp(settings.hostname, settings.port, trace),
    port: settings.port,
    timeoutMs: settings.timeoutMs,
    retries: settings.udpRetries,
    trace,
  });
}

async function resolveForUdp(
  hostname: string,
  port: number,
  trace?: Tracer,
): Promise<string> {
  const started = performance.now();
  try {
    const address = await resolveHost(hostname);
    if (address !== hostname) {
      trace?.step(
        "dns",
        hostname,
        `${address} (${(performance.now() - started).toFixed(3)} ms)`,
      );
    }
    return address;
  } catch (cause) {
    throw new ConnectError(
      `Cannot reach ${hostname}:${port}: unknown host name: check how it is spelled, or use the server's IP address`,
      { cause },
    );
  }
}

async function run(settings: Settings): Promise<number> {
  await using calc = await openCalculator(settings);
  let allOk: boolean;
  if (settings.expressions.length > 0) {
    allOk = await pipeline(calc, settings.expressions, settings);
  } else if (Deno.stdin.isTerminal()) {
    allOk = await interact(calc, settings);
  } else {
    allOk = await pipeline(calc, stdinLines(), settings);
  }
  return allOk ? 0 : EXIT_ERROR_REPLY;
}

function usageFailure(error: unknown): number {
  const usage = toUsageError(error);
  writeLine(Deno.stderr, `sockcalc: ${usage.message}`);
  const looksLikeExpression = /Unknown option -[\d.(]/.test(usage.message);
  writeLine(
    Deno.stderr,
    looksLikeExpression
      ? "An expression that starts with - goes after --, as in: sockcalc -- -3+1"
      : "Try 'sockcalc --help' for the options.",
  );
  return EXIT_USAGE;
}

async function main(args: string[]): Promise<number> {
  if (args[0] === "bench") return await benchMain(args.slice(1));
  let command: Command;
  try {
    command = parseCommand(args);
  } catch (error) {
    return usageFailure(error);
  }
  if (command.kind === "help") {
    console.log(USAGE);
    return 0;
  }
  if (command.kind === "version") {
    console.log(`sockcalc ${VERSION}`);
    return 0;
  }
  try {
    return await run(command.settings);
  } catch (error) {
    if (!isConnectionFailure(error)) throw error;
    writeLine(
      Deno.stderr,
      command.settings.paint("error", `sockcalc: ${error.message}`),
    );
    return EXIT_NO_CONNECTION;
  }
}

function isConnectionFailure(error: unknown): error is Error {
  return error instanceof ConnectError ||
    error instanceof ConnectionLostError ||
    error instanceof NoReplyError ||
    error instanceof DatagramTooLongError;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
