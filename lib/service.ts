/**
 * The calculator service, the same over TCP and UDP: the steps between
 * reading a request and writing its reply (decode, evaluate, encode).
 *
 * @module
 */

import { evaluateToReply } from "./evaluate.ts";
import { encodeReply, type Frame } from "./protocol.ts";
import type { Tracer } from "./trace.ts";

/** How many replies the service remembers, unless configured otherwise. */
export const DEFAULT_REPLY_CACHE_SIZE = 4096;

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
 * its text, so the service remembers recent replies and answers a repeated
 * expression without evaluating it again: a class sends the same
 * expressions over and over. The oldest entry makes room for a new one.
 */
export class CalcService {
  readonly #cache = new Map<string, string>();
  readonly #cacheSize: number;
  readonly #tracer?: Tracer;

  constructor(options: CalcServiceOptions = {}) {
    this.#cacheSize = options.replyCacheSize ?? DEFAULT_REPLY_CACHE_SIZE;
    this.#tracer = options.tracer;
  }

  /**
   * Answers one request: evaluates it, or takes the protocol error the
   * decoder found, and encodes the reply with the line ending it needs.
   */
  answer(frame: Frame, peer: string): string {
    if (this.#tracer) return this.#answerTraced(frame, peer, this.#tracer);
    const reply = frame.kind === "request"
      ? this.#evaluate(frame.text)
      : frame.reply;
    return encodeReply(reply, frame.terminated);
  }

  #evaluate(expression: string): string {
    const remembered = this.#cache.get(expression);
    if (remembered !== undefined) return remembered;
    const reply = evaluateToReply(expression);
    if (
      this.#cacheSize > 0 && expression.length <= CACHEABLE_EXPRESSION_CHARS &&
      reply.length <= CACHEABLE_REPLY_CHARS
    ) {
      if (this.#cache.size >= this.#cacheSize) {
        this.#cache.delete(this.#cache.keys().next().value!);
      }
      this.#cache.set(expression, reply);
    }
    return reply;
  }

  #answerTraced(frame: Frame, peer: string, tracer: Tracer): string {
    const ending = frame.terminated ? " + LF" : ", no LF";
    let reply: string;
    if (frame.kind === "request") {
      tracer.step("decode", peer, `${JSON.stringify(frame.text)}${ending}`);
      const cached = this.#cache.has(frame.text);
      const started = performance.now();
      reply = this.#evaluate(frame.text);
      const micros = Math.round((performance.now() - started) * 1000);
      tracer.step(
        "evaluate",
        peer,
        `${reply}  (${cached ? "remembered, " : ""}${micros} \u00b5s)`,
      );
    } else {
      reply = frame.reply;
      tracer.step("decode", peer, `${reply}${ending}`);
    }
    const encoded = encodeReply(reply, frame.terminated);
    tracer.step("encode", peer, JSON.stringify(encoded));
    return encoded;
  }
}
