/**
 * The replies to a burst of pipelined requests, gathered into one buffer
 * so that they go out in one write.
 *
 * @module
 */

/** A batch's first buffer: room for a burst of about a hundred replies. */
const FIRST_BUFFER_BYTES = 1024;

/**
 * Buffers whose writes are done wait here for the next batch, from any
 * connection: allocating a typed array costs more than answering a dozen
 * remembered requests. The pool is small and holds no large buffer, so
 * it costs little memory however many connections there are.
 */
const POOL: Uint8Array[] = [];
const POOL_LIMIT = 32;
const LARGEST_POOLED_BYTES = 16 * 1024;

/**
 * Replies copied one after another into a buffer that grows as needed.
 * Call `release` once the write of `bytes()` has finished, and use the
 * batch no more.
 */
export class ReplyBatch {
  #buffer: Uint8Array;
  length = 0;

  constructor(first: Uint8Array) {
    this.#buffer = POOL.pop() ??
      new Uint8Array(Math.max(FIRST_BUFFER_BYTES, first.length * 2));
    this.add(first);
  }

  /**
   * Appends a reply. Replies are mostly a few bytes: copying them byte by
   * byte costs less than a call to `Uint8Array.set`.
   */
  add(reply: Uint8Array): void {
    const end = this.length + reply.length;
    if (end > this.#buffer.length) this.#grow(end);
    const buffer = this.#buffer;
    if (reply.length <= 32) {
      for (let i = 0; i < reply.length; i++) buffer[this.length + i] = reply[i];
    } else {
      buffer.set(reply, this.length);
    }
    this.length = end;
  }

  /** The replies so far, as a view of the batch's buffer. */
  bytes(): Uint8Array {
    return this.#buffer.subarray(0, this.length);
  }

  /** Gives the buffer back to the pool, for another batch to reuse. */
  release(): void {
    if (
      POOL.length < POOL_LIMIT && this.#buffer.length <= LARGEST_POOLED_BYTES
    ) {
      POOL.push(this.#buffer);
    }
    this.length = 0;
  }

  #grow(needed: number): void {
    const grown = new Uint8Array(Math.max(needed, this.#buffer.length * 2));
    grown.set(this.#buffer.subarray(0, this.length));
    this.#buffer = grown;
  }
}
