/**
 * The trace: one line per socket primitive as it happens, in the words of
 * the course's diagram, so the client/server flow can be watched on live
 * traffic:
 *
 *     server: socket -> bind -> listen -> accept -> read -> write -> close
 *     client: socket -> connect -> write -> read -> close
 *
 * Between read and write the server also shows the three steps of its
 * service (decode, evaluate, encode). Reads and writes show their bytes, the
 * application protocol data unit, as hex and as text.
 *
 * @module
 */

import type { Painter } from "./output.ts";

/** The most payload bytes a trace line shows; the rest are counted. */
export const DUMP_LIMIT = 64;

/** The most characters of an expression or reply a trace line shows. */
export const TEXT_LIMIT = 100;

/**
 * Cuts text for a trace line at {@linkcode TEXT_LIMIT} characters and
 * counts the rest, so that a long expression or a huge int's digits keep
 * the trace readable: `"1+1+...+1" (+19,900 more characters)`.
 */
export function abbreviate(text: string): string {
  if (text.length <= TEXT_LIMIT) return text;
  const rest = (text.length - TEXT_LIMIT).toLocaleString("en-US");
  return `${text.slice(0, TEXT_LIMIT)}... (+${rest} more characters)`;
}

/** The primitives and service steps a trace shows. */
export type Primitive =
  | "dns"
  | "socket"
  | "bind"
  | "listen"
  | "accept"
  | "connect"
  | "read"
  | "recvfrom"
  | "decode"
  | "evaluate"
  | "encode"
  | "write"
  | "sendto"
  | "rtt"
  | "close";

/** The network protocols below the application, for the overhead estimate. */
export type Transport = "tcp" | "udp";

/** Writes trace lines; built once per program, shared by its connections. */
export class Tracer {
  readonly #write: (line: string) => void;
  readonly #paint: Painter;
  readonly #side: string;
  readonly #start: number;
  readonly #now: () => number;

  /**
   * @param side `server` or `client`, shown on every line.
   * @param write receives each finished line, without a line ending.
   * @param now the clock in milliseconds, replaceable in tests.
   */
  constructor(
    side: "server" | "client",
    write: (line: string) => void,
    paint: Painter,
    now: () => number = () => performance.now(),
  ) {
    this.#side = side;
    this.#write = write;
    this.#paint = paint;
    this.#now = now;
    this.#start = now();
  }

  /** Traces a primitive with its peer and an optional detail. */
  step(primitive: Primitive, peer: string, detail = ""): void {
    const elapsed = (this.#now() - this.#start).toFixed(3).padStart(10);
    const columns = [
      this.#paint("detail", `${elapsed} ms`),
      this.#side.padEnd(6),
      this.#paint(
        primitive === "close" ? "warning" : "ok",
        primitive.padEnd(8),
      ),
      peer.padEnd(21),
      detail,
    ];
    this.#write(columns.join("  ").trimEnd());
  }

  /**
   * Traces a primitive that failed, naming the error as the C library
   * would (`EADDRINUSE`), which is what the course's exceptions wrap.
   */
  failed(primitive: Primitive, peer: string, error: unknown): void {
    this.step(
      primitive,
      peer,
      this.#paint("error", `failed: ${errorCode(error)}`),
    );
  }

  /** Traces a read or write with its bytes; writes add the header estimate. */
  data(
    primitive: "read" | "recvfrom" | "write" | "sendto",
    peer: string,
    bytes: Uint8Array,
    transport: Transport,
  ): void {
    const outgoing = primitive === "write" || primitive === "sendto";
    const overhead = outgoing
      ? `  ${describeOverhead(bytes.length, transport, peer)}`
      : "";
    this.step(
      primitive,
      peer,
      `${dumpBytes(bytes)}${this.#paint("detail", overhead)}`,
    );
  }
}

/** POSIX error names of the failures a socket primitive meets here. */
const ERROR_CODES: [new (...args: never[]) => Error, string][] = [
  [Deno.errors.AddrInUse, "EADDRINUSE, address already in use"],
  [Deno.errors.AddrNotAvailable, "EADDRNOTAVAIL, address not available"],
  [Deno.errors.ConnectionRefused, "ECONNREFUSED, connection refused"],
  [Deno.errors.ConnectionReset, "ECONNRESET, connection reset by peer"],
  [Deno.errors.TimedOut, "ETIMEDOUT, timed out"],
  [Deno.errors.PermissionDenied, "EACCES, permission denied"],
];

function errorCode(error: unknown): string {
  for (const [type, code] of ERROR_CODES) {
    if (error instanceof type) return code;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Shows bytes as a count, hex and text, at most {@linkcode DUMP_LIMIT} of
 * them, the rest counted: `6 bytes  33 2b 38 2b 35 0a  |3+8+5.|`.
 */
export function dumpBytes(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, DUMP_LIMIT);
  const hex = Array.from(shown, (b) => b.toString(16).padStart(2, "0")).join(
    " ",
  );
  const text = Array.from(
    shown,
    (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : "."),
  ).join(
    "",
  );
  const rest = bytes.length > shown.length
    ? ` (+${bytes.length - shown.length} more)`
    : "";
  const count = `${bytes.length} byte${bytes.length === 1 ? "" : "s"}`;
  return bytes.length === 0 ? count : `${count}  ${hex}  |${text}|${rest}`;
}

/** Header sizes in bytes, without options: what each layer adds to a packet. */
const HEADER_BYTES = {
  tcp: 20,
  udp: 8,
  ipv4: 20,
  ipv6: 40,
  /** Ethernet II: 14 bytes of header and a 4-byte frame check sequence. */
  ethernet: 18,
};

/** The payload of one Ethernet frame (its MTU), before IP and transport headers. */
const ETHERNET_MTU = 1500;

/**
 * Estimates the bytes the transport, network and link layers add around a
 * payload sent to `peer`, assuming Ethernet and no header options. TCP
 * splits a payload into segments that each carry their own headers; a UDP
 * datagram too big for one frame is split by IP into fragments.
 */
export function estimateOverhead(
  payload: number,
  transport: Transport,
  peer: string,
): {
  packets: number;
  transportBytes: number;
  networkBytes: number;
  linkBytes: number;
} {
  const ipHeader = peer.startsWith("[") ? HEADER_BYTES.ipv6 : HEADER_BYTES.ipv4;
  const transportHeader = HEADER_BYTES[transport];
  const perPacket = transport === "tcp"
    ? ETHERNET_MTU - ipHeader - transportHeader
    : ETHERNET_MTU - ipHeader;
  const packets = Math.max(
    1,
    Math.ceil(
      (payload + (transport === "udp" ? transportHeader : 0)) / perPacket,
    ),
  );
  return {
    packets,
    transportBytes: transport === "tcp"
      ? packets * transportHeader
      : transportHeader,
    networkBytes: packets * ipHeader,
    linkBytes: packets * HEADER_BYTES.ethernet,
  };
}

function describeOverhead(
  payload: number,
  transport: Transport,
  peer: string,
): string {
  const estimate = estimateOverhead(payload, transport, peer);
  const total = estimate.transportBytes + estimate.networkBytes +
    estimate.linkBytes;
  const ip = peer.startsWith("[") ? "IPv6" : "IPv4";
  const packets = estimate.packets === 1
    ? ""
    : ` in ${estimate.packets} packets`;
  return `+${total} header bytes, est.${packets}: ${transport.toUpperCase()} ${estimate.transportBytes}, ` +
    `${ip} ${estimate.networkBytes}, Ethernet ${estimate.linkBytes}`;
}
