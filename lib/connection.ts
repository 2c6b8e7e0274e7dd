/**
 * One client's connection to the TCP server: reads requests, has the
 * service answer them, and writes the replies, in order, with
 * backpressure, the pause rule for unterminated requests, and a graceful
 * end when the server stops.
 *
 * @module
 */

import {
  type Frame,
  PIPELINED_REQUEST_PAUSE_MS,
  RequestDecoder,
  UNTERMINATED_REQUEST_PAUSE_MS,
} from "./protocol.ts";
import { ReplyBatch } from "./reply_batch.ts";
import type { ReplyCache } from "./reply_cache.ts";
import type { CloseReason, ServerEvent } from "./server.ts";
import type { CalcService } from "./service.ts";
import { TIMED_OUT, withTimeout } from "./timeout.ts";
import type { Tracer } from "./trace.ts";

/** The server's settings and services, which each of its connections reads. */
export interface ConnectionSettings {
  maxConnections: number;
  maxRequestBytes: number;
  idleTimeoutMs: number;
  shutdownTimeoutMs: number;
  emit: (event: ServerEvent) => void;
  trace?: Tracer;
  service: CalcService;
}

/**
 * How much evaluation one connection may do before it lets other
 * connections run; keeps a burst of slow requests from starving the rest.
 */
const EVALUATION_SLICE_MS = 5;

/**
 * How many requests the service answers between readings of the clock. A
 * request costs at most about 10 ms (the evaluator's limits see to that),
 * but almost all cost microseconds, so a slice overruns little.
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

/** The most reply bytes a connection holds before it waits to send them. */
const REPLY_BATCH_BYTES = 64 * 1024;
const NO_BYTES = new Uint8Array(0);
const PAUSE = Symbol("pause");

/** One client's connection: reads requests, evaluates them, writes replies. */
export class Connection {
  readonly #tcp: Deno.TcpConn;
  readonly #peer: string;
  readonly #settings: ConnectionSettings;
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
  /** The batch whose replies are being collected or written, if any. */
  #batch: ReplyBatch | undefined;
  readonly #replyCache: ReplyCache | undefined;
  /** Requests answered by the service since the clock was last read. */
  #evaluations = 0;
  /**
   * Counts reads and writes; the idle sweep compares it between sweeps,
   * which keeps clock reads off the path of every request.
   */
  activity = 0;
  /** The activity count the idle sweep last saw, and since when. */
  idleSince = { activity: 0, time: performance.now() };

  constructor(tcp: Deno.TcpConn, peer: string, settings: ConnectionSettings) {
    this.#tcp = tcp;
    this.#peer = peer;
    this.#settings = settings;
    this.#replyCache = settings.service.replyCache;
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
      else if (replies.length > 0) {
        // Awaited here rather than in a helper: every async call layer costs
        // a promise and a turn of the microtask queue per request.
        await this.#write(replies);
        this.#releaseBatch();
      }
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
    const pauseMs = this.#decoder.partialFollowsRequests
      ? PIPELINED_REQUEST_PAUSE_MS
      : UNTERMINATED_REQUEST_PAUSE_MS;
    const outcome = await withTimeout(read, pauseMs);
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
   * is full: its replies are large (`REPLY_BATCH_BYTES`), or evaluation has
   * held the event loop for `EVALUATION_SLICE_MS`. `#batchFull` says which.
   * Returns the batch's replies as the bytes to write.
   */
  #collectReplies(): Uint8Array {
    this.#batchFull = undefined;
    const firstReply = this.#nextReply();
    if (!firstReply) return NO_BYTES;
    let reply = this.#nextReply();
    // A lone request, the usual case, is written as its reply stands.
    if (!reply) return firstReply;
    const batch = new ReplyBatch(firstReply);
    this.#batch = batch;
    // Timed from the second request on, and the clock read only after
    // some evaluations: remembered replies cost none, and reading the clock
    // costs as much as answering one of them.
    const sliceStart = performance.now();
    this.#evaluations = 0;
    for (; reply; reply = this.#nextReply()) {
      batch.add(reply);
      if (batch.length > REPLY_BATCH_BYTES) {
        this.#batchFull = "large";
        break;
      }
      if (this.#evaluations >= CLOCK_CHECK_EVERY) {
        this.#evaluations = 0;
        if (performance.now() - sliceStart > EVALUATION_SLICE_MS) {
          this.#batchFull = "slow";
          break;
        }
      }
    }
    return batch.bytes();
  }

  /**
   * Sends a full batch and answers the rest of the chunk. Waiting for each
   * write is the backpressure: a client that does not read its replies
   * stops being read, instead of growing the server's memory. After a slow
   * batch, other connections get their turn first.
   */
  async #answerRest(replies: Uint8Array): Promise<void> {
    while (this.#batchFull) {
      await this.#write(replies);
      this.#releaseBatch();
      if (this.#batchFull === "slow") await yieldToOtherConnections();
      replies = this.#collectReplies();
    }
    await this.#write(replies);
    this.#releaseBatch();
  }

  /** Frees the batch of replies just written, for another to reuse. */
  #releaseBatch(): void {
    this.#batch?.release();
    this.#batch = undefined;
  }

  /**
   * The reply to the next complete request, or undefined when none is
   * left. A remembered reply is found from the request's bytes alone.
   */
  #nextReply(): Uint8Array | undefined {
    const next = this.#replyCache
      ? this.#decoder.nextOrRemembered(this.#replyCache)
      : this.#decoder.next();
    if (next === undefined) return undefined;
    if (next instanceof Uint8Array) {
      this.#requests++;
      return next;
    }
    return this.#reply(next);
  }

  async #answerPartialRequest(): Promise<void> {
    const frame = this.#decoder.flush();
    if (frame) await this.#write(this.#reply(frame));
  }

  #reply(frame: Frame): Uint8Array {
    this.#requests++;
    this.#evaluations++;
    return this.#settings.service.answer(frame, this.#peer);
  }

  async #write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.#settings.trace?.data("write", this.#peer, bytes, "tcp");
    // The first write takes the bytes as they are: a subarray costs an
    // allocation, and the first write nearly always sends everything.
    let sent = await this.#tcp.write(bytes);
    while (sent < bytes.length) {
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
