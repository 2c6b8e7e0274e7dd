/**
 * The load generator's workers: one per TCP connection, or per UDP socket,
 * each keeping its share of requests in flight (`bench_load.ts` has what
 * they share).
 *
 * @module
 */

import {
  type Pacing,
  type RequestTape,
  type RunState,
  TurnedAwayError,
  Worker,
} from "./bench_load.ts";
import { SERVER_FULL_PREFIX } from "./protocol.ts";

const LF = 0x0a;
/** The bytes of `ERR `, the prefix of an error reply. */
const E = 0x45, R = 0x52, SPACE = 0x20;
const ERROR_PREFIX_BYTES = [E, R, R, SPACE];
const READ_BUFFER_BYTES = 64 * 1024;
/** How a server at its connection limit begins the one line it sends. */
const TURNED_AWAY_PREFIX = new TextEncoder().encode(SERVER_FULL_PREFIX);
/** Enough of the turn-away message to say why; the rest is not waited for. */
const MAX_REASON_BYTES = 256;

/** What a connection's first line has shown so far. */
type FirstLine =
  /** Only bytes of the turn-away prefix, and no LF, so nothing to count yet. */
  | "unsure"
  /** A reply: the connection was served. */
  | "reply"
  /** The turn-away prefix; its message is still arriving. */
  | "turning away"
  /** The whole turn-away line. */
  | "turned away";

/**
 * Watches a connection's first line for a server at its limit turning the
 * connection away. That line answers no request, so it must not be counted
 * as a reply. Only the first line can be one, so the check ends there and
 * costs nothing per reply afterwards.
 */
class TurnAwayCheck {
  #matched = 0;
  #reason: number[] = [];
  #verdict: FirstLine = "unsure";

  /** What the first line has shown so far. */
  get verdict(): FirstLine {
    return this.#verdict;
  }

  /** The server's reason for turning the connection away, as far as it came. */
  get reason(): string {
    return new TextDecoder().decode(new Uint8Array(this.#reason)).trim();
  }

  /** Looks at the next bytes read and says what the first line is. */
  push(bytes: Uint8Array): FirstLine {
    let i = 0;
    for (; i < bytes.length && this.#verdict === "unsure"; i++) {
      if (bytes[i] !== TURNED_AWAY_PREFIX[this.#matched++]) {
        this.#verdict = "reply";
      } else if (this.#matched === TURNED_AWAY_PREFIX.length) {
        this.#verdict = "turning away";
      }
    }
    if (this.#verdict === "turning away") this.#noteReason(bytes, i);
    return this.#verdict;
  }

  #noteReason(bytes: Uint8Array, from: number): void {
    for (let i = from; i < bytes.length; i++) {
      if (bytes[i] === LF || this.#reason.length === MAX_REASON_BYTES) {
        this.#verdict = "turned away";
        return;
      }
      this.#reason.push(bytes[i]);
    }
  }
}

/** One TCP connection kept busy with requests. */
export class TcpWorker extends Worker {
  readonly #conn: Deno.TcpConn;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  /** Whether each reply of the current read is an error (1) or not (0). */
  readonly #errors = new Uint8Array(READ_BUFFER_BYTES);
  /** Bytes seen so far of a reply split across reads, up to 4. */
  #partial = 0;
  /** Whether those bytes begin like `ERR `. */
  #partialError = true;
  /** Until the first line shows it is a reply, whether it turns us away. */
  #firstLine: TurnAwayCheck | undefined = new TurnAwayCheck();

  constructor(
    conn: Deno.TcpConn,
    state: RunState,
    tape: RequestTape,
    pacing: Pacing,
    id: number,
  ) {
    super(state, tape, pacing, id);
    this.#conn = conn;
    conn.setNoDelay(true);
  }

  protected async readReplies(): Promise<void> {
    try {
      while (!this.closed) {
        const count = await this.#conn.read(this.#buffer);
        if (this.state.stopped) break;
        if (count === null) {
          this.lose(this.#endOfStreamError());
          break;
        }
        const bytes = this.#buffer.subarray(0, count);
        if (this.#firstLine !== undefined && !this.#checkFirstLine(bytes)) {
          continue;
        }
        const now = performance.now();
        this.#scan(bytes, now);
        this.pump(now);
      }
    } catch (error) {
      this.lose(error);
    } finally {
      this.close();
      await this.settleWrites();
    }
  }

  protected async send(bytes: Uint8Array): Promise<void> {
    let sent = await this.#conn.write(bytes);
    while (sent < bytes.length) {
      sent += await this.#conn.write(bytes.subarray(sent));
    }
  }

  /**
   * Feeds the first line to the turn-away check, and returns whether
   * `bytes` may be scanned for replies; ends the connection if turned away.
   */
  #checkFirstLine(bytes: Uint8Array): boolean {
    const check = this.#firstLine!;
    switch (check.push(bytes)) {
      case "reply":
        this.#firstLine = undefined;
        return true;
      case "unsure": // No LF yet, so scanning counts nothing.
        return true;
      case "turning away":
        return false;
      case "turned away":
        this.lose(new TurnedAwayError(check.reason));
        return false;
    }
  }

  /** Why the stream ended: a cut-short turn-away line still says so. */
  #endOfStreamError(): Error {
    return this.#firstLine?.verdict === "turning away"
      ? new TurnedAwayError(this.#firstLine.reason)
      : new Deno.errors.UnexpectedEof("closed by the server");
  }

  /** Counts every complete reply in `bytes`, read at `now`. */
  #scan(bytes: Uint8Array, now: number): void {
    const errors = this.#errors;
    let count = 0;
    let from = 0;
    let end = bytes.indexOf(LF);
    while (end !== -1) {
      const isError = this.#partial === 0
        ? bytes[from] === E && end - from >= 4 && bytes[from + 1] === R &&
          bytes[from + 2] === R && bytes[from + 3] === SPACE
        : this.#finishesError(bytes, end);
      this.#partial = 0;
      this.#partialError = true;
      errors[count++] = isError ? 1 : 0;
      from = end + 1;
      end = bytes.indexOf(LF, from);
    }
    if (from < bytes.length) this.#notePartial(bytes, from, bytes.length);
    if (count > 0) this.answer(now, count, errors);
  }

  /** Whether a reply begun in an earlier read and ending at `end` is an error. */
  #finishesError(bytes: Uint8Array, end: number): boolean {
    this.#notePartial(bytes, 0, end);
    return this.#partial === 4 && this.#partialError;
  }

  #notePartial(bytes: Uint8Array, from: number, to: number): void {
    for (let i = from; i < to && this.#partial < 4; i++) {
      if (bytes[i] !== ERROR_PREFIX_BYTES[this.#partial]) {
        this.#partialError = false;
      }
      this.#partial++;
    }
  }

  /**
   * A TCP reply cannot be skipped: a timeout ends the connection, which
   * counts as failed, so a server that never answers is reported as such.
   */
  expire(now: number): void {
    if (!this.overdue(now)) return;
    // Before abandon(), which may end the run, after which failures are not counted.
    this.state.fail(
      `timed out: no reply within ${this.pacing.timeoutMs / 1000} s`,
    );
    this.state.abandon(this.drop(this.inFlight), true);
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.#conn.close();
    } catch {
      // Closed already.
    }
  }
}

/**
 * One UDP socket: each request is a datagram, and so is each reply.
 *
 * Replies carry no request number, so each is matched to the oldest
 * request in flight, and that holds only while no datagram is lost. When a
 * request times out, the socket is replaced by a new one, on a new port,
 * and the requests still in flight on the old one are given up (not
 * counted as timeouts, which they have not yet reached): a reply that comes
 * after its request timed out then reaches a closed port, and can never be
 * counted as the answer to a later request.
 */
export class UdpWorker extends Worker {
  #socket: Deno.DatagramConn;
  readonly #openSocket: () => Deno.DatagramConn;
  readonly #target: Deno.NetAddr;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #error = new Uint8Array(1);

  /** `openSocket` makes the sockets that replace `socket`. */
  constructor(
    socket: Deno.DatagramConn,
    openSocket: () => Deno.DatagramConn,
    target: Deno.NetAddr,
    state: RunState,
    tape: RequestTape,
    pacing: Pacing,
    id: number,
  ) {
    super(state, tape, pacing, id);
    this.#socket = socket;
    this.#openSocket = openSocket;
    this.#target = target;
  }

  protected async readReplies(): Promise<void> {
    try {
      while (!this.closed) {
        const socket = this.#socket;
        const datagram = await this.#receive(socket);
        if (this.state.stopped) break;
        if (datagram === undefined) continue;
        const now = performance.now();
        this.#error[0] = datagram.length >= 4 && datagram[0] === E &&
            datagram[1] === R && datagram[2] === R && datagram[3] === SPACE
          ? 1
          : 0;
        this.answer(now, 1, this.#error);
        this.pump(now);
      }
    } catch (error) {
      this.lose(error);
    } finally {
      this.close();
      await this.settleWrites();
    }
  }

  /** The next datagram on `socket`, or `undefined` once it was replaced. */
  async #receive(socket: Deno.DatagramConn): Promise<Uint8Array | undefined> {
    try {
      const [datagram] = await socket.receive(this.#buffer);
      return socket === this.#socket ? datagram : undefined;
    } catch (error) {
      if (socket !== this.#socket && !this.closed) return undefined;
      throw error;
    }
  }

  protected async send(bytes: Uint8Array, count: number): Promise<void> {
    const socket = this.#socket;
    let from = 0;
    for (let i = 0; i < count; i++) {
      const end = i === count - 1 ? bytes.length : bytes.indexOf(LF, from) + 1;
      try {
        await socket.send(bytes.subarray(from, end), this.#target);
      } catch (error) {
        // The rest of this batch was given up with the socket it was for.
        if (socket !== this.#socket && !this.closed) return;
        throw error;
      }
      from = end;
    }
  }

  /** Counts requests past the timeout as lost, then starts afresh. */
  expire(now: number): void {
    let late = 0;
    while (late < this.inFlight) {
      const slot = (this.head + late) % this.pacing.pipeline;
      if (now - this.starts[slot] <= this.pacing.timeoutMs) break;
      late++;
    }
    if (late === 0) return;
    this.state.abandon(this.drop(late), true);
    this.state.abandon(this.drop(this.inFlight), false);
    this.#replaceSocket();
    this.pump(now);
  }

  #replaceSocket(): void {
    const old = this.#socket;
    try {
      this.#socket = this.#openSocket();
    } catch (error) {
      return this.lose(error);
    }
    old.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.#socket.close();
    } catch {
      // Closed already.
    }
  }
}
