/**
 * The calc/1 protocol: framing, encoding and decoding, shared by the server
 * and the client. `docs/protocol.md` describes it in prose.
 *
 * A request is one expression of UTF-8 text ending with LF (a CR before the
 * LF is dropped). Bytes that arrive without an LF and are then followed by a
 * pause or by the end of the input also form a request; its reply then has no
 * LF either, so a classroom client that sends `3+8+5` and calls `recv(1024)`
 * once gets exactly `16`. Every request gets one reply, in order.
 *
 * @example Decode a pipelined burst and encode the replies
 * ```ts
 * import { RequestDecoder, encodeReply } from "./protocol.ts";
 *
 * const decoder = new RequestDecoder();
 * decoder.push(new TextEncoder().encode("1+1\r\n2*3\n4"));
 * const replies = [];
 * for (let frame = decoder.next(); frame; frame = decoder.next()) {
 *   replies.push(encodeReply(frame.kind === "request" ? "ok" : frame.reply, frame.terminated));
 * }
 * console.assert(decoder.hasPartialRequest); // "4" waits for LF or a pause
 * ```
 *
 * @module
 */

import type { ReplyCache } from "./reply_cache.ts";
import { decodeAsciiLines, firstInvalidUtf8Offset } from "./utf8.ts";

/** The TCP port the server listens on and the client connects to by default. */
export const DEFAULT_PORT = 5050;

/** Never written to: it stands for "no bytes" without an allocation. */
const NO_BYTES = new Uint8Array(0);

/** The longest request, in bytes before its LF, that the server accepts. */
export const DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

/**
 * How long the server waits, in milliseconds, after bytes without an LF
 * before it treats them as a complete request.
 */
export const UNTERMINATED_REQUEST_PAUSE_MS = 50;

/**
 * The pause instead when the bytes without an LF came in the same read as
 * complete requests before them: they are the end of a pipelined burst,
 * whose next bytes are far likelier late (a sender too busy to go on
 * writing at once, a lost packet) than never coming. A burst whose last
 * request has no LF gets its last reply this much later.
 */
export const PIPELINED_REQUEST_PAUSE_MS = 1000;

/** The prefix that marks an error reply. */
export const ERROR_PREFIX = "ERR ";

const LF = 0x0a;
const CR = 0x0d;

/** Decoding is synchronous and stateless, so one decoder serves every connection. */
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A request decoded from the byte stream. */
export type Frame =
  | {
    /** The request decoded to an expression. */
    kind: "request";
    /** The expression's text, without its line ending. */
    text: string;
    /** Whether the request ended with LF, so its reply must too. */
    terminated: boolean;
  }
  | {
    /** The request broke the protocol and is answered without evaluation. */
    kind: "invalid";
    /** The error reply to send, without a line ending. */
    reply: string;
    /** Whether the request ended with LF, so its reply must too. */
    terminated: boolean;
  };

/** Options of {@linkcode RequestDecoder}. */
export interface RequestDecoderOptions {
  /**
   * The longest request accepted, in bytes before its line ending.
   * @default {DEFAULT_MAX_REQUEST_BYTES}
   */
  maxRequestBytes?: number;
}

/**
 * Splits a byte stream into requests.
 *
 * Feed it each chunk read from a connection with `push`, then take frames
 * with `next` until it returns `undefined`; the chunk must not be changed
 * until then, since complete lines are decoded straight from it. When the
 * sender pauses or stops sending, `flush` turns the bytes left without an
 * LF into one last request.
 *
 * Memory stays bounded: at most `maxRequestBytes` of an unfinished request
 * are kept. A longer request is discarded up to its LF and answered with a
 * `RequestTooLong` error.
 */
export class RequestDecoder {
  readonly #maxRequestBytes: number;
  #chunk: Uint8Array = NO_BYTES;
  #offset = 0;
  #partial: Uint8Array = NO_BYTES;
  #partialLength = 0;
  #discardedLength = 0;
  #discarding = false;
  #partialFollowsRequests = false;
  /**
   * The chunk's complete lines from `#asciiStart` on, decoded at once when
   * they are plain ASCII, so that one decode serves a whole pipelined
   * burst; string offsets plus `#asciiStart` are then byte offsets. Empty
   * when lines are decoded one by one, and undefined until a line needs it:
   * lines answered from a reply cache are never decoded.
   */
  #asciiLines: string | undefined = "";
  #asciiStart = 0;

  constructor(options: RequestDecoderOptions = {}) {
    this.#maxRequestBytes = options.maxRequestBytes ??
      DEFAULT_MAX_REQUEST_BYTES;
  }

  /** Whether bytes of an unfinished request are waiting for more input. */
  get hasPartialRequest(): boolean {
    return this.#partialLength > 0 || this.#discarding;
  }

  /**
   * Whether the unfinished request began in the same read as complete
   * requests before it, as the last request of a pipelined burst does.
   */
  get partialFollowsRequests(): boolean {
    return this.#partialFollowsRequests;
  }

  /** Adds bytes read from the stream. */
  push(chunk: Uint8Array): void {
    if (this.#offset < this.#chunk.length) {
      throw new Error("Cannot push a chunk: the previous one is not consumed");
    }
    this.#chunk = chunk;
    this.#offset = 0;
    this.#asciiStart = 0;
    this.#asciiLines = this.#partialLength === 0 && !this.#discarding
      ? undefined
      : "";
  }

  /** Returns the next complete request, or `undefined` when none is left. */
  next(): Frame | undefined {
    this.#asciiLines ??= this.#decodeRestAsAscii();
    if (this.#offset - this.#asciiStart < this.#asciiLines.length) {
      return this.#nextAsciiLine(this.#asciiLines);
    }
    const chunk = this.#chunk;
    const lineEnd = chunk.indexOf(LF, this.#offset);
    if (lineEnd === -1) {
      this.#keepRest();
      return undefined;
    }
    const start = this.#offset;
    this.#offset = lineEnd + 1;
    return this.#finishLine(chunk.subarray(start, lineEnd), true);
  }

  /**
   * Ends the unfinished request, if any, as a request without LF: called
   * after a pause or when the sender closes its side.
   */
  flush(): Frame | undefined {
    if (!this.hasPartialRequest) return undefined;
    return this.#finishLine(NO_BYTES, false);
  }

  /**
   * Returns the remembered reply to the next request when `cache` has one,
   * and otherwise what `next` returns. Only a line that lies whole in the
   * current chunk is looked up, by its bytes: such a request needs no
   * decoding at all.
   */
  nextOrRemembered(cache: ReplyCache): Uint8Array | Frame | undefined {
    if (this.#partialLength > 0 || this.#discarding) return this.next();
    const chunk = this.#chunk;
    const start = this.#offset;
    const line = cache.findLine(chunk, start);
    if (!line || line.request.length > this.#maxRequestBytes) {
      return this.next();
    }
    const end = start + line.request.length;
    this.#offset = chunk[end] === CR ? end + 2 : end + 1;
    return line.reply;
  }

  #decodeRestAsAscii(): string {
    this.#asciiStart = this.#offset;
    if (this.#offset === this.#chunk.length) return "";
    return decodeAsciiLines(this.#chunk.subarray(this.#offset));
  }

  #nextAsciiLine(lines: string): Frame {
    const start = this.#offset - this.#asciiStart;
    const lineEnd = lines.indexOf("\n", start);
    this.#offset = this.#asciiStart + lineEnd + 1;
    const end = lineEnd > start && lines.charCodeAt(lineEnd - 1) === CR
      ? lineEnd - 1
      : lineEnd;
    if (end - start > this.#maxRequestBytes) {
      return {
        kind: "invalid",
        reply: tooLongReply(end - start, this.#maxRequestBytes),
        terminated: true,
      };
    }
    return {
      kind: "request",
      text: lines.slice(start, end),
      terminated: true,
    };
  }

  #keepRest(): void {
    const rest = this.#chunk.subarray(this.#offset);
    const startsAfterRequests = this.#offset > 0;
    // A shared empty array: allocating one per read costs more than the
    // read's other bookkeeping.
    this.#chunk = NO_BYTES;
    this.#offset = 0;
    if (rest.length === 0) return;
    if (this.#partialLength === 0 && !this.#discarding) {
      this.#partialFollowsRequests = startsAfterRequests;
    }
    // A CR at the end may be the first half of a CR LF split across reads:
    // it is part of the line ending, not of the request, if an LF follows.
    const lastMayEnd = rest[rest.length - 1] === CR ? 1 : 0;
    if (this.#discarding) {
      this.#discardedLength += rest.length;
    } else if (
      this.#partialLength + rest.length - lastMayEnd > this.#maxRequestBytes
    ) {
      this.#startDiscarding(rest.length);
    } else {
      this.#appendPartial(rest);
    }
  }

  #startDiscarding(moreBytes: number): void {
    this.#discarding = true;
    this.#discardedLength = this.#partialLength + moreBytes;
    this.#partial = NO_BYTES;
    this.#partialLength = 0;
  }

  #appendPartial(bytes: Uint8Array): void {
    const needed = this.#partialLength + bytes.length;
    if (needed > this.#partial.length) {
      const grown = new Uint8Array(
        Math.min(
          Math.max(needed, this.#partial.length * 2, 64),
          this.#maxRequestBytes + 1, // a request and the CR of its CR LF
        ),
      );
      grown.set(this.#partial.subarray(0, this.#partialLength));
      this.#partial = grown;
    }
    this.#partial.set(bytes, this.#partialLength);
    this.#partialLength = needed;
  }

  /** Builds the frame for a line whose last bytes are `tail`. */
  #finishLine(tail: Uint8Array, terminated: boolean): Frame {
    this.#partialFollowsRequests = false;
    if (this.#discarding) {
      const length = this.#discardedLength + tail.length;
      this.#discarding = false;
      this.#discardedLength = 0;
      return {
        kind: "invalid",
        reply: tooLongReply(length, this.#maxRequestBytes),
        terminated,
      };
    }
    let line = tail;
    if (this.#partialLength > 0) {
      this.#appendPartialUnbounded(tail);
      line = this.#partial.subarray(0, this.#partialLength);
      this.#partialLength = 0;
    }
    if (terminated && line.length > 0 && line[line.length - 1] === CR) {
      line = line.subarray(0, line.length - 1);
    }
    if (line.length > this.#maxRequestBytes) {
      return {
        kind: "invalid",
        reply: tooLongReply(line.length, this.#maxRequestBytes),
        terminated,
      };
    }
    return this.#decodeLine(line, terminated);
  }

  #appendPartialUnbounded(bytes: Uint8Array): void {
    const joined = new Uint8Array(this.#partialLength + bytes.length);
    joined.set(this.#partial.subarray(0, this.#partialLength));
    joined.set(bytes, this.#partialLength);
    this.#partial = joined;
    this.#partialLength = joined.length;
  }

  #decodeLine(line: Uint8Array, terminated: boolean): Frame {
    try {
      return { kind: "request", text: STRICT_UTF8.decode(line), terminated };
    } catch {
      return { kind: "invalid", reply: invalidUtf8Reply(line), terminated };
    }
  }
}

function tooLongReply(length: number, limit: number): string {
  return formatErrorReply(
    "RequestTooLong",
    `request of ${length} bytes exceeds the limit of ${limit} bytes`,
  );
}

function invalidUtf8Reply(line: Uint8Array): string {
  const offset = firstInvalidUtf8Offset(line);
  const byte = line[offset].toString(16).padStart(2, "0");
  return formatErrorReply(
    "InvalidUtf8",
    `request is not valid UTF-8 text: byte 0x${byte} at offset ${offset}`,
  );
}

/**
 * The largest UDP payload that fits one IPv4 datagram: 65,535 bytes less the
 * 8-byte UDP header and the 20-byte IPv4 header.
 */
export const MAX_DATAGRAM_PAYLOAD = 65_507;

/**
 * Decodes one UDP datagram as one request. It ends with LF exactly when its
 * last byte is LF (a CR before that LF is dropped); its reply must then end
 * with LF too.
 */
export function decodeDatagram(
  datagram: Uint8Array,
  options: RequestDecoderOptions = {},
): Frame {
  const terminated = datagram.length > 0 &&
    datagram[datagram.length - 1] === LF;
  let body = terminated ? datagram.subarray(0, datagram.length - 1) : datagram;
  if (terminated && body[body.length - 1] === CR) {
    body = body.subarray(0, body.length - 1);
  }
  const limit = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  if (body.length > limit) {
    return {
      kind: "invalid",
      reply: tooLongReply(body.length, limit),
      terminated,
    };
  }
  try {
    return { kind: "request", text: STRICT_UTF8.decode(body), terminated };
  } catch {
    return { kind: "invalid", reply: invalidUtf8Reply(body), terminated };
  }
}

/**
 * Returns the encoded reply if it fits one datagram, or else the error reply
 * that says so. The limit holds for IPv4, the stricter family.
 */
export function fitDatagram(
  encoded: Uint8Array,
  terminated: boolean,
): Uint8Array {
  if (encoded.length <= MAX_DATAGRAM_PAYLOAD) return encoded;
  const error = formatErrorReply(
    "ReplyTooLong",
    `reply of ${encoded.length} bytes does not fit in one UDP datagram (at most ${MAX_DATAGRAM_PAYLOAD}); ask over TCP instead`,
  );
  return new TextEncoder().encode(encodeReply(error, terminated));
}

/**
 * The error type of the line a server at its connection limit sends to a
 * connection it turns away, before closing it; it answers no request.
 */
export const SERVER_FULL_ERROR = "TooManyConnections";

/** How that line begins: `ERR TooManyConnections: `, then the reason. */
export const SERVER_FULL_PREFIX = `${ERROR_PREFIX}${SERVER_FULL_ERROR}: `;

/** Formats an error reply: `ERR <type>: <message>`. */
export function formatErrorReply(type: string, message: string): string {
  return `${ERROR_PREFIX}${type}: ${message}`;
}

/** Adds the line ending a reply needs: LF exactly when its request had one. */
export function encodeReply(reply: string, terminated: boolean): string {
  return terminated ? reply + "\n" : reply;
}

/** Formats an expression as a request the server reads as one line. */
export function encodeRequest(expression: string): string {
  return expression + "\n";
}

/** A reply as the client understands it. */
export type Reply =
  | { ok: true; value: string }
  | { ok: false; type: string; message: string };

/** Parses one reply line (without its LF) into a value or an error. */
export function parseReply(line: string): Reply {
  if (!line.startsWith(ERROR_PREFIX)) return { ok: true, value: line };
  const body = line.slice(ERROR_PREFIX.length);
  const colon = body.indexOf(": ");
  if (colon === -1) return { ok: false, type: body, message: "" };
  return {
    ok: false,
    type: body.slice(0, colon),
    message: body.slice(colon + 2),
  };
}

/**
 * Splits the server's byte stream into reply lines, for clients.
 *
 * Replies never contain LF, so every LF ends one. Bytes are decoded as UTF-8
 * leniently: a client shows whatever a server sent.
 */
export class ReplyDecoder {
  readonly #utf8 = new TextDecoder();
  #buffered = "";

  /** Adds bytes read from the stream and returns the complete lines. */
  push(chunk: Uint8Array): string[] {
    const text = this.#buffered + this.#utf8.decode(chunk, { stream: true });
    const lines = text.split("\n");
    this.#buffered = lines.pop()!;
    return lines;
  }

  /** Returns what is left without an LF once the stream has ended. */
  finish(): string | undefined {
    const rest = this.#buffered + this.#utf8.decode();
    this.#buffered = "";
    return rest.length > 0 ? rest : undefined;
  }
}
