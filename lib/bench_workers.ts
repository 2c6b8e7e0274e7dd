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
  Worker,
} from "./bench_load.ts";

const LF = 0x0a;
/** The bytes of `ERR `, the prefix of an error reply. */
const E = 0x45, R = 0x52, SPACE = 0x20;
const ERROR_PREFIX_BYTES = [E, R, R, SPACE];
const READ_BUFFER_BYTES = 64 * 1024;

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
          this.lose(new Deno.errors.UnexpectedEof("closed by the server"));
          break;
        }
        const now = performance.now();
        this.#scan(this.#buffer.subarray(0, count), now);
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

  /** A TCP reply cannot be skipped: a timeout ends the connection. */
  expire(now: number): void {
    if (!this.overdue(now)) return;
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

/** One UDP socket: each request is a datagram, and so is each reply. */
export class UdpWorker extends Worker {
  readonly #socket: Deno.DatagramConn;
  readonly #target: Deno.NetAddr;
  readonly #buffer = new Uint8Array(READ_BUFFER_BYTES);
  readonly #error = new Uint8Array(1);

  constructor(
    socket: Deno.DatagramConn,
    target: Deno.NetAddr,
    state: RunState,
    tape: RequestTape,
    pacing: Pacing,
    id: number,
  ) {
    super(state, tape, pacing, id);
    this.#socket = socket;
    this.#target = target;
  }

  protected async readReplies(): Promise<void> {
    try {
      while (!this.closed) {
        const [datagram] = await this.#socket.receive(this.#buffer);
        if (this.state.stopped) break;
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

  protected async send(bytes: Uint8Array, count: number): Promise<void> {
    let from = 0;
    for (let i = 0; i < count; i++) {
      const end = i === count - 1 ? bytes.length : bytes.indexOf(LF, from) + 1;
      await this.#socket.send(bytes.subarray(from, end), this.#target);
      from = end;
    }
  }

  /**
   * A lost datagram is a timeout, and the socket goes on. Replies carry no
   * request number, so each is matched to the oldest request in flight.
   */
  expire(now: number): void {
    let late = 0;
    while (late < this.inFlight) {
      const slot = (this.head + late) % this.pacing.pipeline;
      if (now - this.starts[slot] <= this.pacing.timeoutMs) break;
      late++;
    }
    if (late === 0) return;
    this.state.abandon(this.drop(late), true);
    this.pump(now);
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
