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

import { Connection, type ConnectionSettings } from "./connection.ts";
import { plural } from "./server_log.ts";
import { formatAddress } from "./network.ts";
import {
  DEFAULT_MAX_REQUEST_BYTES,
  encodeReply,
  formatErrorReply,
  SERVER_FULL_ERROR,
} from "./protocol.ts";
import { CalcService, DEFAULT_REPLY_CACHE_SIZE } from "./service.ts";
import { withTimeout } from "./timeout.ts";
import type { Tracer } from "./trace.ts";

/** The most connections served at once unless configured otherwise. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/** How long a connection may stay silent before it is closed, by default. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** How long shutdown waits for replies to be sent, by default. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 5_000;

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
  | { type: "stopped"; unfinished: number }
  /** A second stop signal: the program ends without the replies owed. */
  | { type: "forced" };

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
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({
      hostname: options.hostname,
      port: options.port,
      transport: "tcp",
      reusePort: options.reusePort,
    });
  } catch (error) {
    // Binding is where a taken port or a foreign address fails.
    options.trace?.failed("bind", wanted, error);
    throw error;
  }
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

class Server {
  readonly #listener: Deno.TcpListener;
  readonly #settings: ConnectionSettings;
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
        // A peer that reset its connection while it waited in the backlog
        // costs nothing to skip, and the next client must not wait for it.
        // Anything else (out of descriptors, say) would fail again at once.
        if (!lostBeforeAccepted(error)) {
          await new Promise((resolve) => setTimeout(resolve, ACCEPT_RETRY_MS));
        }
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

/** Sends the connection-limit error to a connection it cannot take, then closes it. */
function refuse(tcp: Deno.TcpConn, limit: number): void {
  const reply = formatErrorReply(
    SERVER_FULL_ERROR,
    `the server is serving its limit of ${
      plural(limit, "connection")
    }; try again later`,
  );
  const bytes = ENCODER.encode(encodeReply(reply, true));
  // A peer that does not read must not hold the accept loop: write once, then close.
  tcp.write(bytes).catch(() => 0).finally(() => tcp.close());
}

/** Whether an accept failed because of that one peer, not the listener. */
function lostBeforeAccepted(error: unknown): boolean {
  return error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.ConnectionAborted ||
    error instanceof Deno.errors.NotConnected;
}
