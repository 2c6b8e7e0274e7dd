/**
 * The calculator service, the same over TCP and UDP: the steps between
 * reading a request and writing its reply (decode, evaluate, encode).
 *
 * @module
 */

import { evaluateToReply } from "./evaluate.ts";
import type { Frame } from "./protocol.ts";
import { ByteSlab } from "./byte_slab.ts";
import { ReplyCache } from "./reply_cache.ts";
import { abbreviate, type Tracer } from "./trace.ts";

/** How many replies the service remembers, unless configured otherwise. */
export const DEFAULT_REPLY_CACHE_SIZE = 4096;

/**
 * The most replies the service will remember: a million short replies take
 * some hundred megabytes, far more than a class repeats.
 */
export const MAX_REPLY_CACHE_SIZE = 1_000_000;

/**
 * Only short expressions and replies are remembered, which bounds the
 * cache's memory: at most 4,096 entries of at most 1,280 characters.
 */
const CACHEABLE_EXPRESSION_CHARS = 256;
const CACHEABLE_REPLY_CHARS = 1024;

/** Options of {@linkcode CalcService}. */
export interface CalcServiceOptions {
  /**
   * How many recent replies to remember; 0 evaluates every request.
   * @default {DEFAULT_REPLY_CACHE_SIZE}
   */
  replyCacheSize?: number;
  /** Traces decode, evaluate and encode for every request when given. */
  tracer?: Tracer;
}

/**
 * Answers decoded requests. An expression's reply depends on nothing but
 * its text, so the service remembers recent replies, already encoded, and
 * answers a repeated expression without evaluating or encoding it again: a
 * class sends the same expressions over and over. The oldest entry makes
 * room for a new one. Replies are remembered by the request's bytes, so a
 * connection can find them before decoding the request at all
 * ({@linkcode CalcService.replyCache}).
 */
export class CalcService {
  readonly #cache: ReplyCache | undefined;
  readonly #tracer?: Tracer;
  /** Where a request's text is encoded to look it up in the cache. */
  readonly #keyBuffer = new Uint8Array(CACHEABLE_EXPRESSION_CHARS * 3);

  constructor(options: CalcServiceOptions = {}) {
    const size = options.replyCacheSize ?? DEFAULT_REPLY_CACHE_SIZE;
    this.#cache = size > 0 ? new ReplyCache(size) : undefined;
    this.#tracer = options.tracer;
  }

  /**
   * The remembered replies, each the bytes of its line with LF, keyed by
   * the UTF-8 bytes of the request without its line ending. Undefined when
   * nothing is remembered, or when every request must be traced step by
   * step through `answer`.
   */
  get replyCache(): ReplyCache | undefined {
    return this.#tracer ? undefined : this.#cache;
  }

  /**
   * Answers one request: evaluates it, or takes the protocol error the
   * decoder found, and returns the reply's bytes with the line ending it
   * needs. The bytes may be shared with other replies: never change them.
   */
  answer(frame: Frame, peer: string): Uint8Array {
    if (this.#tracer) return this.#answerTraced(frame, peer, this.#tracer);
    const line = frame.kind === "request"
      ? this.#evaluate(frame.text)
      : encodeLine(frame.reply);
    // A reply without LF is the same line less its last byte.
    return frame.terminated ? line : line.subarray(0, line.length - 1);
  }

  /** The reply line for an expression, from memory or freshly evaluated. */
  #evaluate(expression: string): Uint8Array {
    const keyLength = this.#encodeKey(expression);
    if (keyLength >= 0) {
      const remembered = this.#cache!.find(this.#keyBuffer, 0, keyLength);
      if (remembered !== undefined) return remembered;
    }
    const reply = evaluateToReply(expression);
    const line = encodeLine(reply);
    if (keyLength >= 0 && reply.length <= CACHEABLE_REPLY_CHARS) {
      this.#cache!.remember(this.#keyBuffer, 0, keyLength, line);
    }
    return line;
  }

  /**
   * Encodes a cacheable expression into the key buffer and returns its
   * length in bytes, or -1 when the expression is not to be remembered.
   */
  #encodeKey(expression: string): number {
    if (!this.#cache || expression.length > CACHEABLE_EXPRESSION_CHARS) {
      return -1;
    }
    return ENCODER.encodeInto(expression, this.#keyBuffer).written;
  }

  #answerTraced(frame: Frame, peer: string, tracer: Tracer): Uint8Array {
    const ending = frame.terminated ? " + LF" : ", no LF";
    let line: Uint8Array;
    if (frame.kind === "request") {
      const text = abbreviate(JSON.stringify(frame.text));
      tracer.step("decode", peer, `${text}${ending}`);
      const keyLength = this.#encodeKey(frame.text);
      const cached = keyLength >= 0 &&
        this.#cache!.find(this.#keyBuffer, 0, keyLength) !== undefined;
      const started = performance.now();
      line = this.#evaluate(frame.text);
      const micros = Math.round((performance.now() - started) * 1000);
      const reply = DECODER.decode(line.subarray(0, line.length - 1));
      tracer.step(
        "evaluate",
        peer,
        `${abbreviate(reply)}  (${
          cached ? "remembered, " : ""
        }${micros} \u00b5s)`,
      );
    } else {
      line = encodeLine(frame.reply);
      tracer.step("decode", peer, `${abbreviate(frame.reply)}${ending}`);
    }
    const encoded = frame.terminated ? line : line.subarray(0, line.length - 1);
    const reply = JSON.stringify(DECODER.decode(encoded));
    tracer.step("encode", peer, abbreviate(reply));
    return encoded;
  }
}

const DECODER = new TextDecoder();
const ENCODER = new TextEncoder();
/** Where reply lines are encoded: a typed array each would cost more. */
const LINES = new ByteSlab();

/**
 * Encodes a reply and its LF into a slab: `encodeInto` room of the
 * worst-case size, of which only the bytes written are kept, costs a
 * fraction of `encode`, whose fixed cost dominates a short reply.
 */
function encodeLine(reply: string): Uint8Array {
  const room = LINES.room(reply.length * 3 + 1);
  const { written } = ENCODER.encodeInto(reply, room);
  room[written] = 0x0a;
  return LINES.keep(written + 1);
}
