/**
 * The moving parts of the load generator: the state a run shares, the
 * request tape, and what every worker does, whatever its socket
 * (`bench_workers.ts` has the TCP and UDP workers).
 *
 * Everything here is shaped by speed. Requests are encoded once into a
 * tape, so a batch is one slice of it and one write. Replies are counted by
 * finding LF bytes, never decoded, and an error reply is told by its first
 * four bytes. A worker reads the clock once per read, not once per reply,
 * and keeps its requests' start times in a ring, so the steady state
 * allocates almost nothing and creates no promise per request.
 *
 * @module
 */

import type { Histogram } from "./histogram.ts";
import { encodeRequest } from "./protocol.ts";

/** Counters and clocks that every worker of one run updates. */
export class RunState {
  /** When measuring began (`performance.now()`); `Infinity` in warm-up. */
  measureStart = Infinity;
  stopped = false;
  /** Requests left to send while measuring; `Infinity` for a timed run. */
  budget: number;
  /** Requests sent and not yet answered, expired or lost, over all workers. */
  inFlight = 0;
  /** Replies to requests sent while measuring. */
  replies = 0;
  errorReplies = 0;
  timeouts = 0;
  connectionErrors = 0;
  /** Replies of every phase, for the progress line. */
  allReplies = 0;
  lastReplyAt = 0;
  firstError: string | undefined;
  readonly latency: Histogram;
  /** With a fixed rate, how late each request left after it was due. */
  readonly sendLag: Histogram | undefined;
  /** Called when the last budgeted request is answered. */
  onDone: () => void = () => {};

  constructor(latency: Histogram, budget: number, sendLag?: Histogram) {
    this.latency = latency;
    this.budget = budget;
    this.sendLag = sendLag;
  }

  /** Counts a read's worth of replies: `measured` of them were timed. */
  replied(count: number, measured: number, errors: number, now: number): void {
    this.allReplies += count;
    this.inFlight -= count;
    if (measured > 0) {
      this.replies += measured;
      this.errorReplies += errors;
      this.lastReplyAt = now;
    }
    if (this.budget === 0 && this.inFlight === 0) this.onDone();
  }

  /** Counts requests that will never be answered. */
  abandon(starts: number[], timedOut: boolean): void {
    this.inFlight -= starts.length;
    if (timedOut) {
      for (const start of starts) {
        if (start >= this.measureStart) this.timeouts++;
      }
    }
    if (this.budget === 0 && this.inFlight === 0) this.onDone();
  }

  /** Counts a connection that failed, keeping the first reason. */
  fail(reason: string): void {
    if (this.stopped) return;
    this.connectionErrors++;
    this.firstError ??= reason;
  }
}

/** Every expression encoded once, so any run of them is one slice. */
export class RequestTape {
  readonly bytes: Uint8Array;
  /** `offsets[i]` is where request `i` starts; the set repeats after `size`. */
  readonly offsets: Uint32Array;
  readonly size: number;

  /** Encodes `expressions`, repeated enough for a batch of `maxBatch`. */
  constructor(expressions: readonly string[], maxBatch: number) {
    const encoder = new TextEncoder();
    const encoded = expressions.map((text) =>
      encoder.encode(encodeRequest(text))
    );
    this.size = encoded.length;
    const total = this.size + maxBatch;
    this.offsets = new Uint32Array(total + 1);
    for (let i = 0; i < total; i++) {
      this.offsets[i + 1] = this.offsets[i] + encoded[i % this.size].length;
    }
    this.bytes = new Uint8Array(this.offsets[total]);
    for (let i = 0; i < total; i++) {
      this.bytes.set(encoded[i % this.size], this.offsets[i]);
    }
  }

  /** Requests `from` to `from + count - 1`, as one slice. */
  slice(from: number, count: number): Uint8Array {
    return this.bytes.subarray(this.offsets[from], this.offsets[from + count]);
  }
}

/** How a worker paces its sends. */
export interface Pacing {
  /** Requests in flight at most. */
  pipeline: number;
  /** With a fixed rate: milliseconds between this worker's requests. */
  intervalMs?: number;
  /**
   * With a fixed rate: how far into an interval this worker's first request
   * is due, from 0 to 1, so that the workers' requests interleave evenly.
   */
  phase?: number;
  timeoutMs: number;
}

/**
 * What TCP and UDP workers share: the ring of start times, pacing by
 * replies or by a fixed rate, and timeouts.
 */
export abstract class Worker {
  protected readonly state: RunState;
  protected readonly tape: RequestTape;
  protected readonly pacing: Pacing;
  /** Start times of the requests in flight, oldest at `head`. */
  protected readonly starts: Float64Array;
  protected head = 0;
  protected inFlight = 0;
  protected closed = false;
  #next: number;
  #sent = 0;
  #firstDueAt = NaN;
  #writing: Promise<void> | undefined;

  constructor(state: RunState, tape: RequestTape, pacing: Pacing, id: number) {
    this.state = state;
    this.tape = tape;
    this.pacing = pacing;
    this.starts = new Float64Array(pacing.pipeline);
    // Workers start at different places in the set, so they mix it.
    this.#next = (id * 37) % tape.size;
  }

  /** When the next request is due at a fixed rate, else `NaN`. */
  get nextDueAt(): number {
    const intervalMs = this.pacing.intervalMs;
    if (intervalMs === undefined) return NaN;
    return this.#firstDueAt + this.#sent * intervalMs;
  }

  /** Whether the pipeline has room for another request. */
  get hasRoom(): boolean {
    return !this.closed && this.inFlight < this.pacing.pipeline;
  }

  /**
   * Starts sending, with a fixed rate's schedule counted from `start`, and
   * reads replies until the run stops or this worker's socket fails.
   */
  run(start: number): Promise<void> {
    const { intervalMs, phase } = this.pacing;
    if (intervalMs !== undefined) {
      this.#firstDueAt = start + (phase ?? 0) * intervalMs;
    }
    this.pump(start);
    return this.readReplies();
  }

  /** Reads and counts replies until the socket closes or fails. */
  protected abstract readReplies(): Promise<void>;

  /** Writes one batch of `count` requests, which `bytes` holds. */
  protected abstract send(bytes: Uint8Array, count: number): Promise<void>;

  /** Releases the socket; calling it twice is harmless. */
  abstract close(): void;

  /** Sends as many requests as pacing, budget and a free writer allow. */
  pump(now: number): void {
    if (this.#writing !== undefined || this.closed) return;
    const wanted = this.#wanted(now);
    if (wanted <= 0 || this.state.stopped) return;
    const state = this.state;
    const { pipeline, intervalMs } = this.pacing;
    let slot = this.head + this.inFlight;
    let count = 0;
    for (; count < wanted; count++, slot++) {
      let start = now;
      if (intervalMs !== undefined) {
        // Timed from when it was due, so a stall cannot hide (no coordinated omission).
        start = this.#firstDueAt + (this.#sent + count) * intervalMs;
      }
      if (start >= state.measureStart) {
        if (state.budget === 0) break;
        state.budget--;
      }
      if (intervalMs !== undefined) state.sendLag?.record((now - start) * 1000);
      this.starts[slot >= pipeline ? slot - pipeline : slot] = start;
    }
    if (count === 0) return;
    this.inFlight += count;
    state.inFlight += count;
    this.#sent += count;
    const bytes = this.tape.slice(this.#next, count);
    this.#next = (this.#next + count) % this.tape.size;
    this.#writing = this.#write(bytes, count);
  }

  #wanted(now: number): number {
    const room = this.pacing.pipeline - this.inFlight;
    const intervalMs = this.pacing.intervalMs;
    if (intervalMs === undefined) return room;
    const due = Math.floor((now - this.#firstDueAt) / intervalMs) + 1 -
      this.#sent;
    return Math.min(room, due);
  }

  async #write(bytes: Uint8Array, count: number): Promise<void> {
    try {
      await this.send(bytes, count);
    } catch (error) {
      this.lose(error);
    } finally {
      this.#writing = undefined;
    }
    // Replies may have freed room while the write was under way.
    if (!this.closed) this.pump(performance.now());
  }

  /** Waits for a write under way, if any, to settle. */
  protected async settleWrites(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
  }

  /**
   * Counts replies to the `count` oldest requests in flight, all read at
   * `now`; `errors[i]` is 1 when reply `i` is an error. Replies nobody asked
   * for are ignored. Requests sent in one batch share a start time, so their
   * latencies go into the histogram as one value with a count.
   */
  protected answer(now: number, count: number, errors: Uint8Array): void {
    if (count > this.inFlight) count = this.inFlight;
    const state = this.state;
    const measureStart = state.measureStart;
    const pipeline = this.pacing.pipeline;
    let head = this.head;
    let measured = 0, errorCount = 0, runStart = NaN, runLength = 0;
    for (let i = 0; i < count; i++) {
      const start = this.starts[head];
      head = head + 1 === pipeline ? 0 : head + 1;
      if (start < measureStart) continue;
      measured++;
      errorCount += errors[i];
      if (start === runStart) {
        runLength++;
        continue;
      }
      if (runLength > 0) {
        state.latency.record((now - runStart) * 1000, runLength);
      }
      runStart = start;
      runLength = 1;
    }
    if (runLength > 0) state.latency.record((now - runStart) * 1000, runLength);
    this.head = head;
    this.inFlight -= count;
    state.replied(count, measured, errorCount, now);
  }

  /** Takes the oldest `count` requests out of flight, returning their starts. */
  protected drop(count: number): number[] {
    const dropped: number[] = [];
    for (let i = 0; i < count; i++) {
      dropped.push(this.starts[this.head]);
      this.head = this.head + 1 === this.pacing.pipeline ? 0 : this.head + 1;
    }
    this.inFlight -= count;
    return dropped;
  }

  /** Handles requests older than the timeout; called now and then. */
  abstract expire(now: number): void;

  /** Whether the oldest request in flight has waited past the timeout. */
  protected overdue(now: number): boolean {
    return this.inFlight > 0 &&
      now - this.starts[this.head] > this.pacing.timeoutMs;
  }

  /** Ends this worker after a socket error, counting it unless stopping. */
  protected lose(error: unknown): void {
    if (this.closed) return;
    this.state.fail(describeSocketError(error));
    this.state.abandon(this.drop(this.inFlight), false);
    this.close();
  }
}

/** A server at its connection limit sent its one line instead of replies. */
export class TurnedAwayError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "TurnedAwayError";
  }
}

/** Says in a few words why a socket failed. */
export function describeSocketError(error: unknown): string {
  if (error instanceof TurnedAwayError) return `turned away: ${error.message}`;
  if (error instanceof Deno.errors.ConnectionReset) return "reset by the peer";
  if (error instanceof Deno.errors.UnexpectedEof) return "closed by the server";
  if (error instanceof Deno.errors.BrokenPipe) return "closed by the server";
  return error instanceof Error ? error.message : String(error);
}
