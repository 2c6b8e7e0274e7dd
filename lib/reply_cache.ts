/**
 * Replies remembered by the bytes of their request.
 *
 * A pipelining client sends bursts of short requests, and a class tends to
 * send the same expressions. Looking a reply up by the request's bytes,
 * straight from the chunk read, skips decoding the request to a string and
 * hashing that string: a remembered reply then costs a scan of its bytes
 * and a copy of the reply.
 *
 * The oldest reply is forgotten first once `capacity` are remembered.
 *
 * @module
 */

import { ByteSlab } from "./byte_slab.ts";

/** A remembered request and its reply. */
export interface RememberedLine {
  /** The request's bytes, without line ending. */
  readonly request: Uint8Array;
  /** The reply's bytes; callers share them and must not change them. */
  readonly reply: Uint8Array;
}

interface Entry extends RememberedLine {
  hash: number;
  /** The next entry in the same bucket. */
  next: Entry | undefined;
}

/** A bounded map from request bytes to reply bytes, oldest out first. */
export class ReplyCache {
  readonly #buckets: (Entry | undefined)[];
  readonly #mask: number;
  /** Every entry in order of arrival, as a ring: `#oldest` leaves next. */
  readonly #ring: (Entry | undefined)[];
  #oldest = 0;
  /** The longest request remembered so far, which bounds a line's scan. */
  #longestKey = 0;

  /** Remembers up to `capacity` replies; `capacity` must be at least 1. */
  constructor(capacity: number) {
    if (capacity < 1) throw new RangeError("A reply cache needs capacity");
    // Twice as many buckets as entries keeps chains short.
    const buckets = 2 ** Math.ceil(Math.log2(capacity * 2));
    this.#buckets = new Array(buckets).fill(undefined);
    this.#mask = buckets - 1;
    this.#ring = new Array(capacity).fill(undefined);
  }

  /** The reply remembered for `bytes[start, end)`, if any. */
  find(bytes: Uint8Array, start: number, end: number): Uint8Array | undefined {
    return this.#entry(bytes, start, end, hashBytes(bytes, start, end))?.reply;
  }

  /**
   * Looks up the request line that begins at `bytes[start]`: the bytes up
   * to the next LF, less a CR just before it, as the protocol frames a
   * request. Returns the remembered request and its reply, or undefined
   * when the line is not remembered or has no LF within the longest key.
   * Scanning for the LF and hashing are one pass over the bytes.
   */
  findLine(bytes: Uint8Array, start: number): RememberedLine | undefined {
    const limit = Math.min(bytes.length, start + this.#longestKey + 2);
    let hash = FNV_OFFSET_BASIS;
    let hashBeforeLast = hash;
    let end = start;
    for (; end < limit; end++) {
      const byte = bytes[end];
      if (byte === LF) break;
      hashBeforeLast = hash;
      hash = Math.imul(hash ^ byte, FNV_PRIME);
    }
    if (end === limit) return undefined;
    if (end > start && bytes[end - 1] === CR) {
      end--;
      hash = hashBeforeLast;
    }
    return this.#entry(bytes, start, end, hash >>> 0);
  }

  #entry(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
  ): Entry | undefined {
    for (let entry = this.#buckets[hash & this.#mask]; entry;) {
      if (entry.hash === hash && sameBytes(entry.request, bytes, start, end)) {
        return entry;
      }
      entry = entry.next;
    }
    return undefined;
  }

  /** Remembers `reply` for the request `bytes[start, end)`. */
  remember(
    bytes: Uint8Array,
    start: number,
    end: number,
    reply: Uint8Array,
  ): void {
    const hash = hashBytes(bytes, start, end);
    if (this.#entry(bytes, start, end, hash) !== undefined) return;
    this.#forget(this.#ring[this.#oldest]);
    const bucket = hash & this.#mask;
    const request = KEYS.copy(bytes, start, end);
    this.#longestKey = Math.max(this.#longestKey, request.length);
    const entry = { hash, request, reply, next: this.#buckets[bucket] };
    this.#buckets[bucket] = entry;
    this.#ring[this.#oldest] = entry;
    this.#oldest = (this.#oldest + 1) % this.#ring.length;
  }

  #forget(entry: Entry | undefined): void {
    if (entry === undefined) return;
    const bucket = entry.hash & this.#mask;
    if (this.#buckets[bucket] === entry) {
      this.#buckets[bucket] = entry.next;
      return;
    }
    let before = this.#buckets[bucket];
    while (before && before.next !== entry) before = before.next;
    if (before) before.next = entry.next;
  }
}

const LF = 0x0a;
const CR = 0x0d;
/** Where remembered requests are copied: a typed array each would cost more. */
const KEYS = new ByteSlab();
const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a over `bytes[start, end)`: cheap, and spreads short keys well. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = start; i < end; i++) {
    hash = Math.imul(hash ^ bytes[i], FNV_PRIME);
  }
  return hash >>> 0;
}

function sameBytes(
  request: Uint8Array,
  bytes: Uint8Array,
  start: number,
  end: number,
): boolean {
  if (request.length !== end - start) return false;
  for (let i = 0; i < request.length; i++) {
    if (request[i] !== bytes[start + i]) return false;
  }
  return true;
}
