/**
 * The calculator server: accepts TCP connections and answers each request
 * with the evaluator's reply, following the calc/1 protocol.
 *
 * @example Serve on a free loopback port until aborted
 * ```ts
 * import { serve } from "./server.ts";
 *
 * const controller = new AbortController();
 * const server = serve({ hostname: "127.0.0.1", port: 0, signal: controller.signal });
 * console.log(`listening on port ${server.addr.port}`);
 * controller.abort();
 * await server.finished;
 * ```
 *
 * @module
 */

import {
  DEFAULT_MAX_REQUEST_BYTES,
  encodeReply,
  formatErrorReply,
  type Frame,
  RequestDecoder,
  UNTERMINATED_REQUEST_PAUSE_MS,
} from "./protocol.ts";
import { CalcService, DEFAULT_REPLY_CACHE_SIZE } from "./service.ts";
import { TIMED_OUT, withTimeout } from "./timeout.ts";
import type { Tracer } from "./trace.ts";
import { formatAddress } from "./network.ts";

/** The most connections served at once unless configured otherwise. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/** How long a connection may stay silent before it is closed, by default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** How long shutdown waits for replies to be sent, by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

/**
 * How much evaluation one connection may do before it lets other
 * connections run; keeps a burst of slow requests from starving the rest.
 */
const EVALUATION_SLICE_MS = 5;

/**
 * How many requests are answered between readings of the clock. A request
 * costs at most about 10 ms (the evaluator's limits see to that), but
 * almost all cost microseconds, so a slice overruns little.
 */
const CLOCK_CHECK_EVERY = 8;

/**
 * Read buffers: an idle connection keeps a small one, so thousands of them
 * cost little memory; a connection whose reads fill it (a client sending
 * pipelined bursts) switches to a large one until its reads are small again.
 */
const SMALL_READ_BYTES = 1024;
const LARGE_READ_BYTES = 64 * 1024;
const SMALL_READS_BEFORE_SHRINKING = 8;

/** The most reply text a connection holds before it waits to send it. */
const REPLY_BATCH_CHARS = 64 * 1024;
const ACCEPT_RETRY_MS = 100;
const IDLE_SWEEP_INTERVAL_MS = 1_000;

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The address to listen on, such as `0.0.0.0` or `127.0.0.1`. */
  hostname: string;
  /** The TCP port; 0 picks a free one. */
  port: number;
  /** Aborting it stops the server gracefully. */
  signal?: AbortSignal;
  /** @default {DEFAULT_MAX_CONNECTIONS} */
  maxConnections?: number;
  /** @default {DEFAULT_MAX_REQUEST_BYTES} */
  maxRequestBytes?: number;
  /** @default {DEFAULT_IDLE_TIMEOUT_MS} */
  idleTimeoutMs?: number;
  /** @default {DEFAULT_SHUTDOWN_TIMEOUT_MS} */
  shutdownTimeoutMs?: number;
  /** How many recent replies to remember; 0 evaluates every request. @default {DEFAULT_REPLY_CACHE_SIZE} */
  replyCacheSize?: number;
  /** Receives what happens, for logging; the server itself never prints. */
  onEvent?: (event: ServerEvent) => void;
  /** Traces every socket primitive and service step when given. */
  trace?: Tracer;
  /**
   * Shares the port with other listeners that set it too (`SO_REUSEPORT`);
   * Linux then spreads new connections over them. Needs `--unstable-net`.
   */
  reusePort?: boolean;
}

/** Something that happened in the server, reported to `onEvent`. */
export type ServerEvent =
  | { type: "listening"; address: Deno.NetAddr }
  | { type: "open"; peer: string; connections: number }
  | { type: "close"; peer: string; requests: number; reason: CloseReason }
  | { type: "refused"; peer: string; limit: number }
  | { type: "error"; peer?: string; message: string }
  | { type: "stopping"; connections: number }
  | { type: "stopped"; unfinished: number };

/** Why a connection ended. */
export type CloseReason =
  | "client closed"
  | "idle timeout"
  | "reset by client"
  | "server stopping"
  | "shutdown timeout";

/** A running server. */
export interface CalcServer {
  /** The address it listens on, with the port actually chosen. */
  readonly addr: Deno.NetAddr;
  /** Settles once the server has stopped and every connection is closed. */
  readonly finished: Promise<void>;
}

/**
 * Starts a calculator server.
 *
 * Throws what `Deno.listen` throws, such as `Deno.errors.AddrInUse`, before
 * anything is served. Aborting `signal` stops accepting, answers every
 * request already read, closes every connection, then settles `finished`.
 */
export function serve(options: ServeOptions): CalcServer {
  const wanted = formatAddress({
    transport: "tcp",
    hostname: options.hostname,
    port: options.port,
  });
  options.trace?.step("socket", "", "TCP (SOCK_STREAM)");
  const listener = Deno.listen({
    hostname: options.hostname,
    port: options.port,
    transport: "tcp",
    reusePort: options.reusePort,
  });
  // Deno's listen() creates, binds and listens in one call.
  options.trace?.step(
    "bind",
    formatAddress(listener.addr),
    `asked for ${wanted}`,
  );
  options.trace?.step(
    "listen",
    formatAddress(listener.addr),
    "waiting for connections",
  );
  const server = new Server(listener, options);
  return { addr: listener.addr, finished: server.run() };
}

interface Settings {
  maxConnections: number;
  maxRequestBytes: number;
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
  emit: (event: ServerEvent) => void;
  trace?: Tracer;
  service: CalcService;
}

class Server {
  readonly #listener: Deno.TcpListener;
  readonly #settings: Settings;
  readonly #signal?: AbortSignal;
  readonly #connections = new Set<Connection>();
  #stopping = false;

  constructor(listener: Deno.TcpListener, options: ServeOptions) {
    this.#listener = listener;
    this.#signal = options.signal;
    this.#settings = {
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
      maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      shutdownTimeoutMs: options.shutdownTimeoutMs ??
        DEFAULT_SHUTDOWN_TIMEOUT_MS,
      emit: options.onEvent ?? (() => {}),
      trace: options.trace,
      service: new CalcService({
        replyCacheSize: options.replyCacheSize ?? DEFAULT_REPLY_CACHE_SIZE,
        tracer: options.trace,
      }),
    };
  }

  async run(): Promise<void> {
    const stop = () => this.#stop();
    if (this.#signal?.aborted) stop();
    this.#signal?.addEventListener("abort", stop, { once: true });
    const sweeper = setInterval(
      () => this.#closeIdle(),
      IDLE_SWEEP_INTERVAL_MS,
    );
    this.#settings.emit({ type: "listening", address: this.#listener.addr });
    try {
      await this.#acceptUntilStopped();
      await this.#drainConnections();
    } finally {
      clearInterval(sweeper);
      this.#signal?.removeEventListener("abort", stop);
    }
  }

  /** Stops accepting, and asks every connection to finish what it has read. */
  #stop(): void {
    if (this.#stopping) return;
    this.#stopping = true;
    // Closing the listener makes the pending accept fail, which ends the loop.
    this.#listener.close();
    for (const connection of this.#connections) connection.stop();
  }

  async #acceptUntilStopped(): Promise<void> {
    while (!this.#stopping) {
      let tcp: Deno.TcpConn;
      try {
        tcp = await this.#listener.accept();
      } catch (error) {
        if (this.#stopping) return;
        this.#settings.emit({
          type: "error",
          message: `accept failed: ${(error as Error).message}`,
        });
        // Out of file descriptors, say: retrying at once would only spin.
        await new Promise((resolve) => setTimeout(resolve, ACCEPT_RETRY_MS));
        continue;
      }
      this.#admit(tcp);
    }
  }

  #admit(tcp: Deno.TcpConn): void {
    const peer = formatAddress(tcp.remoteAddr);
    this.#settings.trace?.step(
      "accept",
      peer,
      `new connected socket (${this.#connections.size + 1} open)`,
    );
    if (this.#connections.size >= this.#settings.maxConnections) {
      refuse(tcp, this.#settings.maxConnections);
      this.#settings.emit({
        type: "refused",
        peer,
        limit: this.#settings.maxConnections,
      });
      return;
    }
    const connection = new Connection(tcp, peer, this.#settings);
    this.#connections.add(connection);
    this.#settings.emit({
      type: "open",
      peer,
      connections: this.#connections.size,
    });
    connection.serve().finally(() => this.#connections.delete(connection));
  }

  #closeIdle(): void {
    const now = performance.now();
    for (const connection of this.#connections) {
      const seen = connection.idleSince;
      if (seen.activity !== connection.activity) {
        connection.idleSince = { activity: connection.activity, time: now };
      } else if (now - seen.time >= this.#settings.idleTimeoutMs) {
        connection.abort("idle timeout");
      }
    }
  }

  async #drainConnections(): Promise<void> {
    this.#settings.emit({
      type: "stopping",
      connections: this.#connections.size,
    });
    const all = Promise.all([...this.#connections].map((c) => c.done));
    await withTimeout(all, this.#settings.shutdownTimeoutMs);
    const connections = [...this.#connections];
    const unfinished = connections.filter((c) => !c.lingering).length;
    for (const connection of connections) connection.abort("shutdown timeout");
    await all;
    this.#settings.emit({ type: "stopped", unfinished });
  }
}

const ENCODER = new TextEncoder();
const PAUSE = Symbol("pause");

/** Sends the connection-limit error to a connection it cannot take, then closes it. */
function refuse(tcp: Deno.TcpConn, limit: number): void {
  const reply = formatErrorReply(
    "TooManyConnections",
    `the server is serving its limit of ${limit} connections; try again later`,
  );
  const bytes = ENCODER.encode(encodeReply(reply, true));
  // A peer that does not read must not hold the accept loop: write once, then close.
  tcp.write(bytes).catch(() => 0).finally(() => tcp.close());
}

/** One client's connection: reads requests, evaluates them, writes replies. */
class Connection {
  readonly #tcp: Deno.TcpConn;
  readonly #peer: string;
  readonly #settings: Settings;
  readonly #decoder: RequestDecoder;
  readonly #finished = Promise.withResolvers<void>();
  #requests = 0;
  #closed = false;
  #abortReason: CloseReason | undefined;
  #stopRequested = false;
  #waitingForInput = false;
  #lingering = false;
  /** Why the last batch of replies stopped short of the chunk's end, if it did. */
  #batchFull: "large" | "slow" | undefined;
  #sentEndOfStream = false;
  /**
   * Counts reads and writes; the idle sweep compares it between sweeps,
   * which keeps clock reads off the path of every request.
   */
  activity = 0;
  /** The activity count the idle sweep last saw, and since when. */
  idleSince = { activity: 0, time: performance.now() };

  constructor(tcp: Deno.TcpConn, peer: string, settings: Settings) {
    this.#tcp = tcp;
    this.#peer = peer;
    this.#settings = settings;
    this.#decoder = new RequestDecoder({
      maxRequestBytes: settings.maxRequestBytes,
    });
  }

  /** Settles when the connection is closed. */
  get done(): Promise<void> {
    return this.#finished.promise;
  }

  /** Serves the connection until it closes; never rejects. */
  async serve(): Promise<void> {
    let reason: CloseReason;
    try {
      this.#tcp.setNoDelay(true);
      reason = await this.#serveRequests();
    } catch (error) {
      reason = this.#abortReason ?? closeReasonOf(error);
      if (reason === "client closed") this.#reportError(error);
    }
    this.#close();
    this.#settings.trace?.step("close", this.#peer, reason);
    this.#settings.emit({
      type: "close",
      peer: this.#peer,
      requests: this.#requests,
      reason,
    });
    this.#finished.resolve();
  }

  /**
   * Asks the connection to answer what it has read, then close. One that is
   * waiting for input has nothing left to answer, so it ends its sending
   * side at once: the client sees the end of the stream.
   */
  stop(): void {
    this.#stopRequested = true;
    if (this.#waitingForInput) this.#endStream();
  }

  /** Closes the connection at once, dropping unsent replies. */
  abort(reason: CloseReason): void {
    // A lingering connection has sent every reply: it ends as stopped.
    this.#abortReason ??= this.#lingering ? "server stopping" : reason;
    this.#close();
  }

  async #serveRequests(): Promise<CloseReason> {
    const reader = new AdaptiveReader(this.#tcp);
    let read = reader.read();
    while (true) {
      this.#waitingForInput = true;
      const count = this.#decoder.hasPartialRequest
        ? await this.#readOrPause(read)
        : await read;
      this.#waitingForInput = false;
      this.activity++;
      if (this.#stopRequested) {
        // Bytes read after the stop, or still without LF, are not answered:
        // a fragment of a request would give a wrong value.
        await this.#closeGently(read, reader);
        return "server stopping";
      }
      if (count === PAUSE) {
        // The read stays pending: the next bytes start a new request.
        await this.#answerPartialRequest();
        continue;
      }
      if (count === null) {
        await this.#answerPartialRequest();
        return "client closed";
      }
      const chunk = reader.take(count);
      this.#settings.trace?.data("read", this.#peer, chunk, "tcp");
      this.#decoder.push(chunk);
      // Most reads hold a few cheap requests: they are answered here with
      // one write, and only a burst that needs batching takes #answerRest.
      const replies = this.#collectReplies();
      if (this.#batchFull) await this.#answerRest(replies);
      else if (replies.length > 0) await this.#write(replies);
      if (this.#stopRequested) {
        await this.#closeGently(undefined, reader);
        return "server stopping";
      }
      read = reader.read();
    }
  }

  /** Waits for the read, or for the pause that ends an unterminated request. */
  async #readOrPause(
    read: Promise<number | null>,
  ): Promise<number | null | typeof PAUSE> {
    const outcome = await withTimeout(read, UNTERMINATED_REQUEST_PAUSE_MS);
    return outcome === TIMED_OUT ? PAUSE : outcome;
  }

  /**
   * Ends the connection without losing replies already sent: closing a
   * socket that still has unread input makes the kernel send a reset, and a
   * reset can destroy replies the client has not read yet. So the server
   * first closes its sending side, then reads and drops whatever the client
   * still sends, until the client closes too. A client that never does is
   * closed at the shutdown timeout, like any connection still open then.
   */
  async #closeGently(
    pending: Promise<number | null> | undefined,
    reader: AdaptiveReader,
  ): Promise<void> {
    this.#endStream();
    this.#lingering = true;
    let count = await (pending ?? reader.read());
    while (count !== null) count = await reader.read();
  }

  /** Whether every request read has been answered, and only the goodbye remains. */
  get lingering(): boolean {
    return this.#lingering;
  }

  #endStream(): void {
    if (this.#sentEndOfStream) return;
    this.#sentEndOfStream = true;
    this.#tcp.closeWrite().catch(() => {});
  }

  /**
   * Answers the decoded requests in order, until none is left or the batch
   * is full: its replies are large (`REPLY_BATCH_CHARS`), or evaluation has
   * held the event loop for `EVALUATION_SLICE_MS`. `#batchFull` says which.
   */
  #collectReplies(): string {
    this.#batchFull = undefined;
    const first = this.#decoder.next();
    if (!first) return "";
    let replies = this.#reply(first);
    let sliceStart = -1;
    let sinceClockCheck = 0;
    for (
      let frame = this.#decoder.next();
      frame;
      frame = this.#decoder.next()
    ) {
      // Timed from the second request on, and the clock read only now and
      // then: a lone request, or a burst of cheap ones, needs few readings.
      if (sliceStart < 0) sliceStart = performance.now();
      replies += this.#reply(frame);
      if (replies.length > REPLY_BATCH_CHARS) {
        this.#batchFull = "large";
        return replies;
      }
      if (++sinceClockCheck === CLOCK_CHECK_EVERY) {
        sinceClockCheck = 0;
        if (performance.now() - sliceStart > EVALUATION_SLICE_MS) {
          this.#batchFull = "slow";
          return replies;
        }
      }
    }
    return replies;
  }

  /**
   * Sends a full batch and answers the rest of the chunk. Waiting for each
   * write is the backpressure: a client that does not read its replies
   * stops being read, instead of growing the server's memory. After a slow
   * batch, other connections get their turn first.
   */
  async #answerRest(replies: string): Promise<void> {
    while (this.#batchFull) {
      await this.#write(replies);
      if (this.#batchFull === "slow") await yieldToOtherConnections();
      replies = this.#collectReplies();
    }
    await this.#write(replies);
  }

  async #answerPartialRequest(): Promise<void> {
    const frame = this.#decoder.flush();
    if (frame) await this.#write(this.#reply(frame));
  }

  #reply(frame: Frame): string {
    this.#requests++;
    return this.#settings.service.answer(frame, this.#peer);
  }

  async #write(text: string): Promise<void> {
    if (text.length === 0) return;
    const bytes = ENCODER.encode(text);
    this.#settings.trace?.data("write", this.#peer, bytes, "tcp");
    for (let sent = 0; sent < bytes.length;) {
      sent += await this.#tcp.write(bytes.subarray(sent));
    }
    this.activity++;
  }

  #reportError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#settings.emit({ type: "error", peer: this.#peer, message });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#tcp.close();
    } catch {
      // Already closed by the runtime after a reset; nothing left to release.
    }
  }
}

/**
 * Reads into a small buffer while a connection is quiet, so thousands of
 * idle connections cost little memory, and into a large one while its reads
 * fill the small one (a client sending pipelined bursts).
 */
class AdaptiveReader {
  readonly #tcp: Deno.TcpConn;
  #buffer = new Uint8Array(SMALL_READ_BYTES);
  #smallReads = 0;

  constructor(tcp: Deno.TcpConn) {
    this.#tcp = tcp;
  }

  read(): Promise<number | null> {
    return this.#tcp.read(this.#buffer);
  }

  /** The bytes of a finished read; the next `read` may resize the buffer. */
  take(count: number): Uint8Array {
    const chunk = this.#buffer.subarray(0, count);
    this.#smallReads = count < SMALL_READ_BYTES ? this.#smallReads + 1 : 0;
    if (count === this.#buffer.length && count < LARGE_READ_BYTES) {
      this.#buffer = new Uint8Array(LARGE_READ_BYTES);
    } else if (
      this.#smallReads >= SMALL_READS_BEFORE_SHRINKING &&
      this.#buffer.length > SMALL_READ_BYTES
    ) {
      this.#buffer = new Uint8Array(SMALL_READ_BYTES);
    }
    return chunk;
  }
}

function closeReasonOf(error: unknown): CloseReason {
  if (
    error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionAborted
  ) {
    return "reset by client";
  }
  return "client closed";
}

/** Lets timers and other connections' reads run before continuing. */
function yieldToOtherConnections(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
