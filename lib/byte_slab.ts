/**
 * Short byte arrays carved out of larger ones.
 *
 * Creating a typed array costs about 0.6 µs in this runtime, as much as
 * evaluating a short expression, while a view of an existing one costs
 * about 0.03 µs. The bytes of each reply and of each remembered request
 * are therefore views of shared slabs. A slab stays alive while any view
 * of it does, so slabs are kept small: a long-lived view holds on to at
 * most a few KiB besides itself.
 *
 * @module
 */

/** The size of a fresh slab, unless one array needs more. */
const SLAB_BYTES = 4096;

/** Hands out views of slabs, one after another. */
export class ByteSlab {
  #slab = new Uint8Array(0);
  #used = 0;

  /**
   * Room for up to `max` bytes, to fill and then keep the first of with
   * `keep`; nothing else may take room in between.
   */
  room(max: number): Uint8Array {
    if (this.#used + max > this.#slab.length) {
      this.#slab = new Uint8Array(Math.max(SLAB_BYTES, max));
      this.#used = 0;
    }
    return this.#slab.subarray(this.#used, this.#used + max);
  }

  /** The first `length` bytes of the last room, kept for good. */
  keep(length: number): Uint8Array {
    const kept = this.#slab.subarray(this.#used, this.#used + length);
    this.#used += length;
    return kept;
  }

  /** A copy of `bytes[start, end)` that no later write will change. */
  copy(bytes: Uint8Array, start: number, end: number): Uint8Array {
    const room = this.room(end - start);
    for (let i = start; i < end; i++) room[i - start] = bytes[i];
    return this.keep(end - start);
  }
}
