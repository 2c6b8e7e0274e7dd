/**
 * The load generator behind `sockcalc bench`: opens many connections to a
 * calc/1 server, keeps each busy (or sends at a fixed total rate), and
 * measures every reply's latency in a {@linkcode Histogram}.
 *
 * A run has a warm-up, whose replies are not counted, then a measured phase
 * that ends after a duration or a number of requests. It always ends by
 * itself: each request is given up after the timeout, a TCP connection that
 * times out or breaks is dropped, and the run ends early when none is left.
 *
 * With a fixed `rate`, each request's latency runs from when it was due to be
 * sent, not from when it was sent: a server that stalls delays the requests
 * due during the stall, and their latencies show it (no coordinated
 * omission). How late the generator itself sent them is kept apart, in
 * `sendLag`. Limitation: the generator's timers wake up about every 1 to 2
 * ms, so at a fixed rate each latency may include up to about 2 ms of the
 * generator's own lateness; compare with `sendLag` before blaming a server.
 *
 * @example Drive a server for one second
 * ```ts ignore
 * import { runBench } from "./bench.ts";
 * import { DEFAULT_EXPRESSIONS } from "./bench_expressions.ts";
 *
 * const result = await runBench({
 *   hostname: "127.0.0.1", port: 5050, connections: 4, pipeline: 8,
 *   durationMs: 1000, warmupMs: 0, timeoutMs: 5000,
 *   expressions: DEFAULT_EXPRESSIONS,
 * });
 * console.log(result.achievedRate, result.latency.percentile(99));
 * ```
 *
 * @module
 */

import {
  type Pacing,
  RequestTape,
  RunState,
  type Worker,
} from "./bench_load.ts";
import { TcpWorker, UdpWorker } from "./bench_workers.ts";
import { ConnectError, explainConnectError } from "./client.ts";
import { Histogram } from "./histogram.ts";
import { formatAddress, isLoopback, resolveAddresses } from "./network.ts";

/** What to measure and how hard to push. */
export interface BenchOptions {
  hostname: string;
  port: number;
  /** TCP connections, or UDP sockets with `udp`. */
  connections: number;
  /** Requests in flight per connection at most. */
  pipeline: number;
  /** How long the measured phase lasts; give this or `requests`. */
  durationMs?: number;
  /** How many requests the measured phase sends; give this or `durationMs`. */
  requests?: number;
  /** How long to run before measuring. */
  warmupMs: number;
  /** A fixed total rate in requests per second; unset means "as fast as replies come". */
  rate?: number;
  /** The requests to send, in turn, each without its LF. */
  expressions: readonly string[];
  /** Send UDP datagrams instead of using TCP connections. */
  udp?: boolean;
  /** How long a request may wait for its reply. */
  timeoutMs: number;
  /** Ends the run early, keeping what was measured. */
  signal?: AbortSignal;
  /** Called about four times a second while the run goes on. */
  onProgress?: (progress: BenchProgress) => void;
}

/** A snapshot of a run under way. */
export interface BenchProgress {
  phase: "warm-up" | "measuring";
  elapsedMs: number;
  /** The time left in a timed run; `undefined` with `requests`. */
  remainingMs: number | undefined;
  /** Replies counted in the measured phase so far. */
  replies: number;
  /** Replies per second over the last interval, warm-up included. */
  currentRate: number;
  /** Error replies, timeouts and connection errors so far. */
  errors: number;
}

/** What a run measured. */
export interface BenchResult {
  /** The server, as `host:port`. */
  target: string;
  transport: "tcp" | "udp";
  connections: number;
  pipeline: number;
  warmupMs: number;
  measuredMs: number;
  /** The fixed rate asked for, if any, in requests per second. */
  offeredRate: number | undefined;
  /** Replies counted per second of the measured phase. */
  achievedRate: number;
  /** Replies to requests sent while measuring. */
  replies: number;
  /** Replies starting with `ERR `. */
  errorReplies: number;
  timeouts: number;
  /** Connections that could not be opened or broke during the run. */
  connectionErrors: number;
  /** Why a connection failed first, if one did. */
  firstError: string | undefined;
  /** Why the run ended before its duration or request count, if it did. */
  stoppedEarly: string | undefined;
  /** Latency of every counted reply, in microseconds. */
  latency: Histogram;
  /** With `rate`: how late the generator sent each request, in microseconds. */
  sendLag: Histogram | undefined;
}

const PROGRESS_INTERVAL_MS = 250;

/**
 * Runs a benchmark and resolves with what it measured. Rejects with a
 * {@linkcode ConnectError} when no connection can be opened, or no UDP
 * reply arrives within the timeout.
 */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  checkOptions(options);
  const state = new RunState(
    new Histogram(),
    options.requests ?? Infinity,
    options.rate === undefined ? undefined : new Histogram(),
  );
  const tape = new RequestTape(options.expressions, options.pipeline);
  const workers = await openWorkers(options, state, tape);
  return await drive(options, state, workers);
}

function checkOptions(options: BenchOptions): void {
  if ((options.durationMs === undefined) === (options.requests === undefined)) {
    throw new TypeError("Cannot run a benchmark: give durationMs or requests");
  }
  if (options.expressions.length === 0) {
    throw new TypeError("Cannot run a benchmark: no expressions to send");
  }
}

/** The target as people read it. */
function targetOf(options: BenchOptions): string {
  return formatAddress({
    transport: options.udp ? "udp" : "tcp",
    hostname: options.hostname,
    port: options.port,
  });
}

/**
 * Opens every connection (or UDP socket). Resolves with none when the run
 * is interrupted meanwhile, so that `drive()` reports the interruption.
 */
async function openWorkers(
  options: BenchOptions,
  state: RunState,
  tape: RequestTape,
): Promise<Worker[]> {
  const pacing = (id: number): Pacing => ({
    pipeline: options.pipeline,
    timeoutMs: options.timeoutMs,
    ...(options.rate === undefined ? {} : {
      intervalMs: 1000 * options.connections / options.rate,
      phase: id / options.connections,
    }),
  });
  const deadline = new ConnectDeadline(options);
  try {
    const addresses = await resolveTarget(options, deadline.signal);
    if (addresses === undefined) return [];
    if (options.udp) {
      return openUdpWorkers(options, addresses[0], state, tape, pacing);
    }
    const conns = await connectAll(options, addresses, deadline.signal, state);
    return conns.map((conn, id) =>
      new TcpWorker(conn, state, tape, pacing(id), id)
    );
  } finally {
    deadline.clear();
  }
}

/**
 * Aborts opening when the caller's signal does (Ctrl-C) or when the
 * timeout passes, whichever comes first; a timeout aborts with `TimedOut`,
 * so each failure can say which it was.
 */
class ConnectDeadline {
  readonly signal: AbortSignal;
  readonly #timer: ReturnType<typeof setTimeout>;

  constructor(options: BenchOptions) {
    const timeout = new AbortController();
    this.#timer = setTimeout(
      () => timeout.abort(new Deno.errors.TimedOut("connect timed out")),
      options.timeoutMs,
    );
    this.signal = options.signal
      ? AbortSignal.any([options.signal, timeout.signal])
      : timeout.signal;
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}

/** Whether `error` is the caller's interruption rather than a failure. */
function isInterruption(options: BenchOptions, error: unknown): boolean {
  return options.signal?.aborted === true && error === options.signal.reason;
}

/**
 * Resolves the host name once, to every address it has, rather than once
 * per connection; `undefined` when interrupted meanwhile.
 */
async function resolveTarget(
  options: BenchOptions,
  signal: AbortSignal,
): Promise<string[] | undefined> {
  try {
    return await untilAborted(resolveAddresses(options.hostname), signal);
  } catch (cause) {
    if (isInterruption(options, cause)) return undefined;
    // Node's lookup says "getaddrinfo ENOTFOUND"; name it so it is explained.
    const reason = cause instanceof Deno.errors.TimedOut
      ? cause
      : new Error(`name lookup failed: ${String(cause)}`);
    const verb = options.udp ? "reach" : "connect to";
    throw new ConnectError(
      `Cannot ${verb} ${targetOf(options)}: ${explainConnectError(reason)}`,
      { cause },
    );
  }
}

/** `promise`, unless `signal` aborts first; a lookup cannot be cancelled. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  });
}

/**
 * Opens the connections in parallel and keeps those that opened, counting
 * each failure as it happens, so the first error is the earliest. Rejects
 * with a {@linkcode ConnectError} when none opened, unless interrupted.
 */
async function connectAll(
  options: BenchOptions,
  addresses: string[],
  signal: AbortSignal,
  state: RunState,
): Promise<Deno.TcpConn[]> {
  let firstFailure: unknown;
  const attempts = await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        connectToAny(addresses, options.port, signal).catch((error) => {
          if (isInterruption(options, error)) return undefined;
          firstFailure ??= error;
          state.fail(describeOpenError(error));
          return undefined;
        }),
    ),
  );
  const conns = attempts.filter((conn) => conn !== undefined);
  // Interrupted, the run still reports what it saw, failures included.
  if (conns.length === 0 && !options.signal?.aborted) {
    throw new ConnectError(
      `Cannot connect to ${targetOf(options)}: ${
        describeOpenError(firstFailure)
      }`,
      { cause: firstFailure },
    );
  }
  return conns;
}

/**
 * Connects to the first of `addresses` that accepts, in turn, as
 * `Deno.connect` does with a host name, but without looking it up again.
 */
async function connectToAny(
  addresses: string[],
  port: number,
  signal: AbortSignal,
): Promise<Deno.TcpConn> {
  let lastError: unknown;
  for (const hostname of addresses) {
    try {
      return await Deno.connect({ hostname, port, signal });
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = error;
    }
  }
  throw lastError;
}

/** Explains a failure to open a socket, with what to do about a full file table. */
function describeOpenError(error: unknown): string {
  const reason = explainConnectError(error);
  return /too many open files/i.test(reason)
    ? `${reason}; use fewer connections (--conns) or raise the open-file limit (ulimit -n)`
    : reason;
}

function openUdpWorkers(
  options: BenchOptions,
  address: string,
  state: RunState,
  tape: RequestTape,
  pacing: (id: number) => Pacing,
): Worker[] {
  const target: Deno.NetAddr = {
    transport: "udp",
    hostname: address,
    port: options.port,
  };
  const local = localAddressFor(address);
  const open = () =>
    Deno.listenDatagram({ transport: "udp", hostname: local, port: 0 });
  return openUdpSockets(options, open).map((socket, id) =>
    new UdpWorker(socket, open, target, state, tape, pacing(id), id)
  );
}

/** The local address to send from: loopback for a loopback server. */
function localAddressFor(address: string): string {
  const ipv6 = address.includes(":");
  if (isLoopback(address)) return ipv6 ? "::1" : "127.0.0.1";
  return ipv6 ? "::" : "0.0.0.0";
}

/**
 * Opens one socket per "connection" with `open`. If one cannot be opened
 * (often the open-file limit), closes the others and rejects with a
 * {@linkcode ConnectError}.
 */
function openUdpSockets(
  options: BenchOptions,
  open: () => Deno.DatagramConn,
): Deno.DatagramConn[] {
  const sockets: Deno.DatagramConn[] = [];
  try {
    while (sockets.length < options.connections) sockets.push(open());
  } catch (cause) {
    for (const socket of sockets) socket.close();
    throw new ConnectError(
      `Cannot open ${options.connections} UDP sockets: ${
        describeOpenError(cause)
      }`,
      { cause },
    );
  }
  return sockets;
}

/** Runs the workers through warm-up and measurement, then stops them all. */
async function drive(
  options: BenchOptions,
  state: RunState,
  workers: Worker[],
): Promise<BenchResult> {
  const started = performance.now();
  let stopAt = NaN;
  let stoppedEarly: string | undefined;
  let noReply = false;
  const stop = (reason?: string) => {
    if (state.stopped) return;
    state.stopped = true;
    stopAt = performance.now();
    stoppedEarly = reason;
    for (const worker of workers) worker.close();
  };
  state.onDone = () => stop();
  const timers = scheduleTimers(options, state, started, () => stop());
  const progress = new ProgressReporter(options, state, started);
  const control = setInterval(() => {
    const now = performance.now();
    for (const worker of workers) worker.expire(now);
    if (
      options.udp && !state.stopped && state.allReplies === 0 &&
      now - started > options.timeoutMs
    ) {
      noReply = true;
      stop("no reply");
    }
    progress.report(now);
  }, controlInterval(options.timeoutMs));
  const ticker = options.rate === undefined ? undefined : new RateTicker(
    workers,
    state,
  );
  const interrupt = () => stop("interrupted");
  options.signal?.addEventListener("abort", interrupt);
  if (options.signal?.aborted) interrupt();

  try {
    const runs = workers.map((worker) => worker.run(started));
    ticker?.schedule(); // After run(), which fixes each worker's schedule.
    await Promise.all(runs);
    stop(`every connection failed: ${state.firstError ?? "unknown error"}`);
  } finally {
    clearInterval(control);
    for (const timer of timers) clearTimeout(timer);
    ticker?.cancel();
    options.signal?.removeEventListener("abort", interrupt);
  }
  if (noReply) {
    throw new ConnectError(
      `No reply from ${targetOf(options)} over UDP within ${
        options.timeoutMs / 1000
      } s: is a server answering UDP there (start it with --udp)?`,
    );
  }
  return resultOf(options, state, { started, stopAt, stoppedEarly });
}

/** Sets the timers that end the warm-up and, in a timed run, the run. */
function scheduleTimers(
  options: BenchOptions,
  state: RunState,
  started: number,
  stop: () => void,
): ReturnType<typeof setTimeout>[] {
  const timers: ReturnType<typeof setTimeout>[] = [];
  if (options.warmupMs > 0) {
    timers.push(setTimeout(() => {
      state.measureStart = performance.now();
    }, options.warmupMs));
  } else {
    state.measureStart = started;
  }
  if (options.durationMs !== undefined) {
    timers.push(setTimeout(stop, options.warmupMs + options.durationMs));
  }
  return timers;
}

/** Checks for timeouts often enough to honour short ones. */
function controlInterval(timeoutMs: number): number {
  return Math.max(5, Math.min(PROGRESS_INTERVAL_MS, timeoutMs / 4));
}

/** Wakes the workers when their next requests fall due, at a fixed rate. */
class RateTicker {
  readonly #workers: Worker[];
  readonly #state: RunState;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(workers: Worker[], state: RunState) {
    this.#workers = workers;
    this.#state = state;
  }

  schedule(): void {
    if (this.#state.stopped) return;
    let next = Infinity;
    for (const worker of this.#workers) {
      if (worker.hasRoom) next = Math.min(next, worker.nextDueAt);
    }
    // With every pipeline full, replies wake the workers; look again soon.
    const delay = next === Infinity ? 1 : next - performance.now();
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, delay));
  }

  #tick(): void {
    const now = performance.now();
    for (const worker of this.#workers) worker.pump(now);
    this.schedule();
  }

  cancel(): void {
    clearTimeout(this.#timer);
  }
}

/** Calls `onProgress` about four times a second with a snapshot. */
class ProgressReporter {
  readonly #options: BenchOptions;
  readonly #state: RunState;
  readonly #started: number;
  #lastAt: number;
  #lastReplies = 0;

  constructor(options: BenchOptions, state: RunState, started: number) {
    this.#options = options;
    this.#state = state;
    this.#started = started;
    this.#lastAt = started;
  }

  report(now: number): void {
    const onProgress = this.#options.onProgress;
    if (!onProgress || now - this.#lastAt < PROGRESS_INTERVAL_MS * 0.9) return;
    const state = this.#state;
    const seconds = (now - this.#lastAt) / 1000;
    const currentRate = (state.allReplies - this.#lastReplies) / seconds;
    this.#lastAt = now;
    this.#lastReplies = state.allReplies;
    const elapsedMs = now - this.#started;
    const { durationMs, warmupMs } = this.#options;
    onProgress({
      phase: state.measureStart === Infinity ? "warm-up" : "measuring",
      elapsedMs,
      remainingMs: durationMs === undefined
        ? undefined
        : Math.max(0, warmupMs + durationMs - elapsedMs),
      replies: state.replies,
      currentRate,
      errors: state.errorReplies + state.timeouts + state.connectionErrors,
    });
  }
}

function resultOf(
  options: BenchOptions,
  state: RunState,
  run: { started: number; stopAt: number; stoppedEarly: string | undefined },
): BenchResult {
  const measuring = state.measureStart !== Infinity;
  const measuredMs = measuring
    ? Math.max(0, run.stopAt - state.measureStart)
    : 0;
  return {
    target: targetOf(options),
    transport: options.udp ? "udp" : "tcp",
    connections: options.connections,
    pipeline: options.pipeline,
    warmupMs: measuring
      ? state.measureStart - run.started
      : run.stopAt - run.started,
    measuredMs,
    offeredRate: options.rate,
    achievedRate: measuredMs > 0 ? state.replies / (measuredMs / 1000) : 0,
    replies: state.replies,
    errorReplies: state.errorReplies,
    timeouts: state.timeouts,
    connectionErrors: state.connectionErrors,
    firstError: state.firstError,
    stoppedEarly: run.stoppedEarly,
    latency: state.latency,
    sendLag: state.sendLag,
  };
}
