/**
 * The calculator client: connects to a server and exchanges requests and
 * replies, pipelined, with friendly errors for the ways that can fail.
 *
 * @example Ask a running server two questions on one connection
 * ```ts ignore
 * import { connect } from "./client.ts";
 *
 * await using calc = await connect({ hostname: "127.0.0.1", port: 5050, timeoutMs: 5000 });
 * const [sum, quotient] = await Promise.all([calc.request("3+8+5"), calc.request("1/0")]);
 * console.log(sum.reply, quotient.reply); // "16" "ERR ZeroDivisionError: division by zero"
 * ```
 *
 * @module
 */

import { formatAddress, isIpAddress, resolveHost } from "./network.ts";
import { encodeRequest, ReplyDecoder, SERVER_FULL_PREFIX } from "./protocol.ts";
import type { Tracer } from "./trace.ts";

/** Where to connect and how long to wait. */
export interface ConnectOptions {
  hostname: string;
  port: number;
  /** How long to wait for the connection, and then for each reply. */
  timeoutMs: number;
  /** Traces every socket primitive when given. */
  trace?: Tracer;
}

const LINE_BREAK = /\n/;

/** The connection could not be made; the message says why in plain words. */
export class ConnectError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectError";
  }
}

/** The connection broke, or the server stopped answering, mid-exchange. */
export class ConnectionLostError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectionLostError";
  }
}

/** A reply with the time it took, measured from when its request was sent. */
export interface Answer {
  expression: string;
  /** The reply line as the server sent it, without its LF. */
  reply: string;
  milliseconds: number;
}

/** Opens a connection to a calculator server. */
export async function connect(
  options: ConnectOptions,
): Promise<CalcConnection> {
  const target = formatAddress({ transport: "tcp", ...options });
  const signal = AbortSignal.timeout(options.timeoutMs);
  const trace = options.trace;
  try {
    const hostname = trace
      ? await resolveTraced(options.hostname, trace)
      : options.hostname;
    trace?.step("socket", "", "TCP (SOCK_STREAM)");
    const started = performance.now();
    const tcp = await connectTraced(hostname, options.port, signal, trace);
    tcp.setNoDelay(true);
    const peer = formatAddress(tcp.remoteAddr);
    trace?.step(
      "connect",
      peer,
      `from ${formatAddress(tcp.localAddr)}, handshake took ${
        (performance.now() - started).toFixed(3)
      } ms`,
    );
    return new CalcConnection(tcp, peer, options);
  } catch (error) {
    const cause = signal.aborted ? new Deno.errors.TimedOut() : error;
    throw new ConnectError(
      `Cannot connect to ${target}: ${explainConnectError(cause)}`,
      { cause },
    );
  }
}

/** `Deno.connect`, tracing a failure as the failed `connect` it is. */
async function connectTraced(
  hostname: string,
  port: number,
  signal: AbortSignal,
  trace: Tracer | undefined,
): Promise<Deno.TcpConn> {
  try {
    return await Deno.connect({ hostname, port, signal });
  } catch (error) {
    const cause = signal.aborted ? new Deno.errors.TimedOut() : error;
    trace?.failed(
      "connect",
      formatAddress({ transport: "tcp", hostname, port }),
      cause,
    );
    throw error;
  }
}

async function resolveTraced(hostname: string, trace: Tracer): Promise<string> {
  if (isIpAddress(hostname)) return hostname;
  const started = performance.now();
  const address = await resolveHost(hostname);
  trace.step(
    "dns",
    hostname,
    `${address} (${(performance.now() - started).toFixed(3)} ms)`,
  );
  return address;
}

/** Says in plain words why a connection attempt failed and what to check. */
export function explainConnectError(error: unknown): string {
  if (error instanceof Deno.errors.ConnectionRefused) {
    return "connection refused: is the server running?";
  }
  if (error instanceof Deno.errors.TimedOut) {
    return "timed out: wrong address or a firewall?";
  }
  if (error instanceof Deno.errors.ConnectionReset) {
    return "reset by the server right after it accepted: is it a calculator server?";
  }
  if (error instanceof Deno.errors.NotCapable) {
    return "not permitted: the program was not given network permission for this host";
  }
  const message = error instanceof Error ? error.message : String(error);
  if (
    /lookup|resolve|name or service|nodename|no such host|ENOTFOUND|EAI_AGAIN/i
      .test(message)
  ) {
    return "unknown host name: check how it is spelled, or use the server's IP address";
  }
  if (/unreachable/i.test(message)) {
    return "network unreachable: is this machine on the same network as the server?";
  }
  return message;
}

interface Pending {
  expression: string;
  sentAt: number;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

/** How many replies may be outstanding before `request` waits. */
const MAX_IN_FLIGHT = 1_024;

/**
 * One open connection. Requests may be sent without waiting for earlier
 * replies; the server answers in order, so replies are matched to requests
 * by position.
 */
export class CalcConnection implements AsyncDisposable {
  readonly #tcp: Deno.TcpConn;
  readonly #target: string;
  readonly #timeoutMs: number;
  readonly #trace?: Tracer;
  readonly #pending: Pending[] = [];
  readonly #encoder = new TextEncoder();
  #unsent = "";
  #writing: Promise<void> | undefined;
  #failure: Error | undefined;
  #reader: Promise<void>;
  #watchdog: ReturnType<typeof setTimeout> | undefined;
  /** When the last reply came, or when waiting began with nothing outstanding. */
  #lastProgress = 0;
  #roomWaiters: (() => void)[] = [];
  #closed = false;
  readonly #ended = Promise.withResolvers<Error>();

  constructor(
    tcp: Deno.TcpConn,
    target: string,
    options: { timeoutMs: number; trace?: Tracer },
  ) {
    this.#tcp = tcp;
    this.#target = target;
    this.#timeoutMs = options.timeoutMs;
    this.#trace = options.trace;
    this.#reader = this.#readReplies();
  }

  /**
   * Resolves with the reason once the connection can answer nothing more
   * (closed or reset by the server, or silent past the timeout), even with
   * no request outstanding; a close of our own does not count.
   */
  get ended(): Promise<Error> {
    return this.#ended.promise;
  }

  /** The server's address, as `host:port`. */
  get target(): string {
    return this.#target;
  }

  /**
   * Sends one expression and resolves with its reply. Requests may be sent
   * before earlier replies arrive; call {@linkcode waitForRoom} between them
   * to keep the number outstanding, and so memory, bounded.
   */
  request(expression: string): Promise<Answer> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (LINE_BREAK.test(expression)) {
      // It would go as two requests and shift every later reply by one.
      return Promise.reject(
        new RangeError("An expression is one line: split it at its breaks"),
      );
    }
    const answer = new Promise<Answer>((resolve, reject) => {
      this.#pending.push({
        expression,
        sentAt: performance.now(),
        resolve,
        reject,
      });
    });
    if (this.#pending.length === 1) {
      // Waiting starts now: replies to earlier requests are no progress on this one.
      this.#lastProgress = performance.now();
      this.#armWatchdog(this.#timeoutMs);
    }
    this.#unsent += encodeRequest(expression);
    this.#writing ??= this.#flush();
    return answer;
  }

  /** Resolves once fewer than the allowed number of replies are outstanding. */
  async waitForRoom(): Promise<void> {
    while (this.#pending.length >= MAX_IN_FLIGHT && !this.#failure) {
      await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    }
  }

  /** Writes everything queued, in as few writes as requests allow. */
  async #flush(): Promise<void> {
    try {
      while (this.#unsent.length > 0) {
        const bytes = this.#encoder.encode(this.#unsent);
        this.#unsent = "";
        this.#trace?.data("write", this.#target, bytes, "tcp");
        for (let sent = 0; sent < bytes.length;) {
          sent += await this.#tcp.write(bytes.subarray(sent));
        }
      }
    } catch (error) {
      this.#fail(this.#lostError(error));
    } finally {
      this.#writing = undefined;
    }
  }

  async #readReplies(): Promise<void> {
    const decoder = new ReplyDecoder();
    const buffer = new Uint8Array(64 * 1024);
    try {
      while (true) {
        const count = await this.#tcp.read(buffer);
        if (count === null) break;
        this.#trace?.data(
          "read",
          this.#target,
          buffer.subarray(0, count),
          "tcp",
        );
        for (const line of decoder.push(buffer.subarray(0, count))) {
          this.#settle(line);
        }
      }
      const rest = decoder.finish();
      if (rest !== undefined) this.#settle(rest);
      this.#fail(this.#lostError());
    } catch (error) {
      this.#fail(this.#lostError(error));
    }
  }

  #settle(reply: string): void {
    // Not a reply to any request: the server's refusal, sent before it closes.
    if (reply.startsWith(SERVER_FULL_PREFIX)) {
      const reason = reply.slice(SERVER_FULL_PREFIX.length);
      this.#fail(
        new ConnectionLostError(
          `${this.#target} turned the connection away: ${reason}`,
        ),
      );
      return;
    }
    const pending = this.#pending.shift();
    if (!pending) return; // A server that talks out of turn: ignore the extra line.
    const now = performance.now();
    const milliseconds = now - pending.sentAt;
    this.#lastProgress = now;
    this.#trace?.step(
      "rtt",
      this.#target,
      `${milliseconds.toFixed(3)} ms for ${JSON.stringify(pending.expression)}`,
    );
    pending.resolve({ expression: pending.expression, reply, milliseconds });
    this.#roomWaiters.shift()?.();
  }

  /**
   * Starts the reply timer unless it runs. One timer serves a whole
   * pipelined exchange: when it fires it looks at when the last reply came,
   * rather than being restarted for every reply.
   */
  #armWatchdog(delay: number): void {
    if (this.#watchdog !== undefined || this.#closed) return;
    this.#watchdog = setTimeout(() => this.#checkProgress(), delay);
  }

  /** Gives up when the oldest outstanding request has waited too long for a reply. */
  #checkProgress(): void {
    this.#watchdog = undefined;
    if (this.#pending.length === 0 || this.#closed) return;
    const waited = performance.now() - this.#lastProgress;
    if (waited < this.#timeoutMs) {
      this.#armWatchdog(this.#timeoutMs - waited);
      return;
    }
    const seconds = this.#timeoutMs / 1000;
    this.#fail(
      new ConnectionLostError(
        `No reply from ${this.#target} within ${seconds} s: the server is busy, stuck, or unreachable`,
      ),
    );
    this.#close();
  }

  #lostError(cause?: unknown): Error {
    if (this.#failure) return this.#failure;
    const detail = cause instanceof Deno.errors.ConnectionReset
      ? "reset by the server"
      : "closed by the server";
    return new ConnectionLostError(`Connection to ${this.#target} ${detail}`, {
      cause,
    });
  }

  #fail(error: Error): void {
    if (this.#closed && this.#pending.length === 0) return;
    this.#failure ??= error;
    this.#ended.resolve(this.#failure);
    clearTimeout(this.#watchdog);
    for (const pending of this.#pending.splice(0)) {
      pending.reject(this.#failure);
    }
    for (const wake of this.#roomWaiters.splice(0)) wake();
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#watchdog);
    this.#trace?.step("close", this.#target);
    try {
      this.#tcp.close();
    } catch {
      // Closed already by a reset; nothing left to release.
    }
  }

  /** Closes the connection; outstanding requests fail. Closing twice is harmless. */
  async close(): Promise<void> {
    this.#close();
    await this.#writing;
    await this.#reader;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
