/**
 * sockcalc-server: the calculator server's command line.
 *
 * Reads the options, starts the server, logs what happens to stderr, and
 * stops gracefully on SIGINT or SIGTERM.
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  EXIT_USAGE,
  parseCount,
  parseDuration,
  parseHost,
  parsePort,
  parsePositiveDuration,
  toUsageError,
  UsageError,
  VERSION,
} from "./lib/cli.ts";
import { warmUpEvaluator } from "./lib/evaluator_warm_up.ts";
import { reachableAddresses } from "./lib/network.ts";
import { painter, shouldColor, writeLine } from "./lib/output.ts";
import { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_PORT } from "./lib/protocol.ts";
import {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  serve,
  type ServeOptions,
  type ServerEvent,
} from "./lib/server.ts";
import {
  formatServerEvent,
  LOG_FORMATS,
  type LogFormat,
  type LogOptions,
} from "./lib/server_log.ts";
import {
  DEFAULT_REPLY_CACHE_SIZE,
  MAX_REPLY_CACHE_SIZE,
} from "./lib/service.ts";
import { stopSignals } from "./lib/signals.ts";
import { Tracer } from "./lib/trace.ts";
import { serveUdp } from "./lib/udp_server.ts";
import {
  startWorkers,
  type WorkerPool,
  workersSupported,
} from "./lib/worker_pool.ts";

/** The exit status when a second stop signal cuts the shutdown short. */
const EXIT_FORCED = 130;

const USAGE =
  `sockcalc-server ${VERSION}: a calculator server for the calc/1 protocol

Usage: sockcalc-server [options]

Options:
  --host ADDRESS            address to listen on (default 0.0.0.0: every network)
  -p, --port PORT           TCP port, 0 for any free port (default ${DEFAULT_PORT})
  --max-connections N       connections served at once (default ${DEFAULT_MAX_CONNECTIONS})
  --max-request BYTES       longest request accepted (default ${DEFAULT_MAX_REQUEST_BYTES})
  --cache-size N            replies to remember for repeated expressions,
                            0 to evaluate every request (default ${DEFAULT_REPLY_CACHE_SIZE})
  --idle-timeout DURATION   close connections silent this long (default ${
    DEFAULT_IDLE_TIMEOUT_MS / 1000
  }s)
  --shutdown-timeout DURATION
                            time to finish replies on SIGINT/SIGTERM (default ${
    DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000
  }s)
  --workers N|auto          N servers share the port, one per core with auto
                            (Linux; default 1)
  --udp                     also answer UDP datagrams on the same port
  --trace                   show every socket primitive on stderr as it happens
  --log-format text|json    log lines for people or for programs (default text)
  -q, --quiet               do not log connections opening and closing
  --no-color                never colour the log
  -h, --help                show this help
  -V, --version             show the version

Logs go to stderr. Stop the server with Ctrl-C: it finishes the replies it
owes (see --shutdown-timeout); a second Ctrl-C stops it at once (exit 130).`;

const OPTIONS = {
  host: { type: "string", default: "0.0.0.0" },
  port: { type: "string", short: "p", default: String(DEFAULT_PORT) },
  "max-connections": {
    type: "string",
    default: String(DEFAULT_MAX_CONNECTIONS),
  },
  "max-request": { type: "string", default: String(DEFAULT_MAX_REQUEST_BYTES) },
  "cache-size": { type: "string", default: String(DEFAULT_REPLY_CACHE_SIZE) },
  "idle-timeout": {
    type: "string",
    default: `${DEFAULT_IDLE_TIMEOUT_MS / 1000}s`,
  },
  "shutdown-timeout": {
    type: "string",
    default: `${DEFAULT_SHUTDOWN_TIMEOUT_MS / 1000}s`,
  },
  "log-format": { type: "string", default: "text" },
  quiet: { type: "boolean", short: "q", default: false },
  udp: { type: "boolean", default: false },
  trace: { type: "boolean", default: false },
  workers: { type: "string", default: "1" },
  "no-color": { type: "boolean", default: false },
  help: { type: "boolean", short: "h", default: false },
  version: { type: "boolean", short: "V", default: false },
} as const;

type Command =
  | { kind: "help" }
  | { kind: "version" }
  | ServeCommand;

interface ServeCommand {
  kind: "serve";
  serve: Omit<ServeOptions, "signal" | "onEvent" | "trace" | "reusePort">;
  udp: boolean;
  trace: boolean;
  workers: number;
  color: boolean;
  log: LogOptions;
}

function parseCommand(args: string[]): Command {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const format = values["log-format"];
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(
      `Invalid value for --log-format: "${format}" (use text or json)`,
    );
  }
  const color = shouldColor(Deno.stderr, values["no-color"]);
  const workers = parseWorkers(values.workers, Deno.build.os);
  const maxConnections = parseCount(
    values["max-connections"],
    "--max-connections",
  );
  if (maxConnections < workers) {
    throw new UsageError(
      `--max-connections ${maxConnections} is fewer than --workers ${workers}: ` +
        `each worker needs a share of at least one connection`,
    );
  }
  return {
    kind: "serve",
    serve: {
      hostname: parseHost(values.host),
      port: parsePort(values.port, "--port", true),
      maxConnections,
      maxRequestBytes: parseCount(values["max-request"], "--max-request"),
      replyCacheSize: parseCount(
        values["cache-size"],
        "--cache-size",
        0,
        MAX_REPLY_CACHE_SIZE,
      ),
      idleTimeoutMs: parsePositiveDuration(
        values["idle-timeout"],
        "--idle-timeout",
      ),
      shutdownTimeoutMs: parseDuration(
        values["shutdown-timeout"],
        "--shutdown-timeout",
      ),
    },
    udp: values.udp,
    trace: values.trace,
    workers,
    color,
    log: {
      format: format as LogFormat,
      quiet: values.quiet,
      paint: painter(color),
    },
  };
}

/**
 * Reads `--workers`: a count, or `auto` for one per core. More than one
 * needs Linux, whose kernel spreads connections over listeners sharing a
 * port; elsewhere that is a usage error that says so.
 */
export function parseWorkers(text: string, os: typeof Deno.build.os): number {
  const count = text === "auto"
    ? navigator.hardwareConcurrency
    : parseCount(text, "--workers");
  if (count > 1 && !workersSupported(os)) {
    throw new UsageError(
      `--workers needs Linux, whose kernel spreads connections over servers sharing a port; ` +
        `on ${os} run one server (leave out --workers)`,
    );
  }
  return count;
}

/** Explains in one line why the server could not listen, and what to try. */
export function explainListenError(error: unknown, address: string): string {
  if (error instanceof Deno.errors.AddrInUse) {
    return `Cannot listen on ${address}: the port is already in use; ` +
      `choose another with --port, or stop the program using it`;
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return `Cannot listen on ${address}: not permitted; ` +
      `ports below 1024 need administrator rights, so use --port 5050 or another above 1024`;
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return `Cannot listen on ${address}: this machine has no such address; ` +
      `use --host 0.0.0.0 to listen on all of its networks`;
  }
  if (error instanceof Deno.errors.NotCapable) {
    return `Cannot listen on ${address}: the program was not given network permission for it`;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/lookup|resolve|invalid (ip )?address/i.test(message)) {
    return `Cannot listen on ${address}: no such address on this machine; ` +
      `use --host 0.0.0.0 to listen on all of its networks`;
  }
  return `Cannot listen on ${address}: ${message}`;
}

/** Ends the program without waiting for replies: a second stop signal. */
function stopAtOnce(log: LogOptions): never {
  writeLine(Deno.stderr, formatServerEvent({ type: "forced" }, log)!);
  Deno.exit(EXIT_FORCED);
}

function announce(hostname: string, port: number, log: LogOptions): void {
  let interfaces: Deno.NetworkInterfaceInfo[] = [];
  try {
    interfaces = Deno.networkInterfaces();
  } catch {
    // Without --allow-sys the addresses are unknown; the local one still helps.
  }
  const { remote, local } = reachableAddresses(hostname, port, interfaces);
  if (log.format === "json") {
    writeLine(
      Deno.stderr,
      JSON.stringify({
        time: new Date().toISOString(),
        event: "reachable",
        remote,
        local,
      }),
    );
    return;
  }
  const detail = (text: string) => log.paint("detail", text);
  if (remote.length > 0) {
    writeLine(Deno.stderr, `Classmates can connect to: ${remote.join("  ")}`);
  } else {
    writeLine(
      Deno.stderr,
      detail(
        "Only this machine can connect; use --host 0.0.0.0 to let classmates in",
      ),
    );
  }
  writeLine(Deno.stderr, `On this machine: ${local}`);
}

async function runServer(command: ServeCommand): Promise<number> {
  // Until every listener is up, events wait: a server that cannot start
  // says so in one line, without "listening" and "stopped" around it.
  let held: ServerEvent[] | undefined = [];
  const print = (event: ServerEvent) => {
    const line = formatServerEvent(event, command.log);
    if (line !== undefined) writeLine(Deno.stderr, line);
  };
  const log = (event: ServerEvent) => held ? held.push(event) : print(event);
  const started = () => {
    for (const event of held ?? []) print(event);
    held = undefined;
  };
  const trace = command.trace
    ? new Tracer(
      "server",
      (line) => writeLine(Deno.stderr, line),
      command.log.paint,
    )
    : undefined;
  const controller = new AbortController();
  // The connection limit is the whole server's: each worker takes an equal
  // share, and this thread's server the remainder too.
  const share = Math.floor(command.serve.maxConnections! / command.workers);
  const shared = { ...command.serve, maxConnections: share };
  const options = {
    ...shared,
    maxConnections: command.serve.maxConnections! -
      share * (command.workers - 1),
    signal: controller.signal,
    onEvent: log,
    trace,
    reusePort: command.workers > 1,
  };
  const tcp = listenOrExplain(
    () => {
      if (options.reusePort) claimPortAlone(options);
      return serve(options);
    },
    "TCP",
    options,
    command.log,
  );
  if (!tcp) return 1;
  // From here on a signal stops the server gracefully, even before the
  // address is announced: whoever saw "listening" may already send one.
  using _signals = stopSignals(
    () => controller.abort(),
    Deno.build.os,
    () => stopAtOnce(command.log),
  );
  const stopEarly = async () => {
    controller.abort();
    await tcp.finished;
    held = undefined; // Unprinted: the line that says why is enough.
    return 1;
  };

  // The same port number for UDP, so classmates need only one.
  const udp = command.udp
    ? listenOrExplain(
      () => serveUdp({ ...options, port: tcp.addr.port }),
      "UDP",
      options,
      command.log,
    )
    : undefined;
  if (command.udp && !udp) return await stopEarly();
  const pool = await startExtraWorkers(command, {
    ...shared,
    port: tcp.addr.port,
  }, log);
  if (pool === null) return await stopEarly();
  started();

  // Before the address is announced; a client that connects meanwhile
  // waits in the listen backlog.
  warmUpEvaluator();
  announce(command.serve.hostname, tcp.addr.port, command.log);
  await Promise.all([tcp.finished, udp?.finished]);
  await pool?.stop();
  return 0;
}

/**
 * Starts the workers beyond the main thread's server, if `--workers` asks
 * for any; `null` when they could not start, after saying why.
 */
async function startExtraWorkers(
  command: ServeCommand,
  serve: ServeCommand["serve"],
  onEvent: (event: ServerEvent) => void,
): Promise<WorkerPool | undefined | null> {
  if (command.workers <= 1) return undefined;
  try {
    return await startWorkers(command.workers - 1, {
      serve,
      trace: command.trace,
      color: command.color,
      onEvent,
    });
  } catch (error) {
    const message = `Cannot start the workers: ${(error as Error).message}`;
    logFailure(message, command.log);
    return null;
  }
}

/**
 * Fails with `AddrInUse` if anything listens on the port, as a plain listen
 * would. With `SO_REUSEPORT` the workers' own listen would instead join
 * another server that set it too (a second `--workers` run on the same
 * port, say) and share its clients without a word.
 */
function claimPortAlone(where: { hostname: string; port: number }): void {
  if (where.port === 0) return; // A fresh port is nobody's.
  Deno.listen({ hostname: where.hostname, port: where.port }).close();
}

/** Starts a listener, or prints in one line why it could not and returns `undefined`. */
function listenOrExplain<T>(
  listen: () => T,
  transport: string,
  where: { hostname: string; port: number },
  log: LogOptions,
): T | undefined {
  try {
    return listen();
  } catch (error) {
    const address = `${where.hostname}:${where.port}`;
    logFailure(explainListenError(error, `${transport} ${address}`), log);
    return undefined;
  }
}

/** Writes why the server cannot start, as a log line in the chosen format. */
function logFailure(message: string, log: LogOptions): void {
  writeLine(
    Deno.stderr,
    log.format === "json"
      ? formatServerEvent({ type: "error", message }, log)!
      : log.paint("error", message),
  );
}

async function main(args: string[]): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(args);
  } catch (error) {
    const usage = toUsageError(error);
    writeLine(Deno.stderr, `sockcalc-server: ${usage.message}`);
    writeLine(Deno.stderr, "Try 'sockcalc-server --help' for the options.");
    return EXIT_USAGE;
  }
  switch (command.kind) {
    case "help":
      console.log(USAGE);
      return 0;
    case "version":
      console.log(`sockcalc-server ${VERSION}`);
      return 0;
    case "serve":
      return await runServer(command);
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
