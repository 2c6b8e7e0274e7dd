/**
 * The calculator service over UDP: one datagram is one request, and its
 * reply goes back to the sender as one datagram.
 *
 * UDP has no connections, so there is nothing to accept or close per
 * client, no ordering across datagrams and no delivery guarantee: a client
 * that hears nothing must send again. Needs `--unstable-net`.
 *
 * @module
 */

import { formatAddress } from "./network.ts";
import {
  decodeDatagram,
  DEFAULT_MAX_REQUEST_BYTES,
  fitDatagram,
  MAX_DATAGRAM_PAYLOAD,
} from "./protocol.ts";
import type { ServerEvent } from "./server.ts";
import { CalcService } from "./service.ts";
import type { Tracer } from "./trace.ts";

/** Options of {@linkcode serveUdp}. */
export interface UdpServeOptions {
  hostname: string;
  port: number;
  /** Aborting it closes the socket once the datagram in hand is answered. */
  signal?: AbortSignal;
  /** @default {DEFAULT_MAX_REQUEST_BYTES} */
  maxRequestBytes?: number;
  onEvent?: (event: ServerEvent) => void;
  trace?: Tracer;
  /** How many recent replies to remember; 0 evaluates every request. */
  replyCacheSize?: number;
}

/** A running UDP server. */
export interface UdpServer {
  readonly addr: Deno.NetAddr;
  readonly finished: Promise<void>;
}

/**
 * Starts answering datagrams. Throws what `Deno.listenDatagram` throws, such
 * as `Deno.errors.AddrInUse`, before anything is served.
 */
export function serveUdp(options: UdpServeOptions): UdpServer {
  options.trace?.step("socket", "", "UDP (SOCK_DGRAM)");
  let socket: Deno.DatagramConn;
  try {
    socket = Deno.listenDatagram({
      hostname: options.hostname,
      port: options.port,
      transport: "udp",
    });
  } catch (error) {
    options.trace?.failed(
      "bind",
      formatAddress({
        transport: "udp",
        hostname: options.hostname,
        port: options.port,
      }),
      error,
    );
    throw error;
  }
  const addr = socket.addr as Deno.NetAddr;
  options.trace?.step("bind", formatAddress(addr), "waiting for datagrams");
  return { addr, finished: answerDatagrams(socket, options) };
}

async function answerDatagrams(
  socket: Deno.DatagramConn,
  options: UdpServeOptions,
): Promise<void> {
  const emit = options.onEvent ?? (() => {});
  const maxRequestBytes = Math.min(
    options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    MAX_DATAGRAM_PAYLOAD,
  );
  const service = new CalcService({
    replyCacheSize: options.replyCacheSize,
    tracer: options.trace,
  });
  const close = () => socket.close();
  options.signal?.addEventListener("abort", close, { once: true });
  if (options.signal?.aborted) close();
  emit({ type: "listening", address: socket.addr as Deno.NetAddr });
  // Room for the largest datagram, so none is ever cut short.
  const buffer = new Uint8Array(MAX_DATAGRAM_PAYLOAD + 1);
  try {
    while (true) {
      let received: [Uint8Array, Deno.Addr];
      try {
        received = await socket.receive(buffer);
      } catch (error) {
        if (options.signal?.aborted) return;
        // Windows reports an earlier reply's "port unreachable" here; the
        // socket itself is fine, so report it and keep serving.
        emit({
          type: "error",
          message: `receive failed: ${(error as Error).message}`,
        });
        continue;
      }
      await answerDatagram(socket, received, {
        maxRequestBytes,
        service,
        options,
      });
    }
  } finally {
    options.signal?.removeEventListener("abort", close);
  }
}

async function answerDatagram(
  socket: Deno.DatagramConn,
  [datagram, from]: [Uint8Array, Deno.Addr],
  { maxRequestBytes, service, options }: {
    maxRequestBytes: number;
    service: CalcService;
    options: UdpServeOptions;
  },
): Promise<void> {
  const trace = options.trace;
  const peer = formatAddress(from);
  trace?.data("recvfrom", peer, datagram, "udp");
  const frame = decodeDatagram(datagram, { maxRequestBytes });
  const reply = fitDatagram(service.answer(frame, peer), frame.terminated);
  trace?.data("sendto", peer, reply, "udp");
  try {
    await socket.send(reply, from);
  } catch (error) {
    options.onEvent?.({
      type: "error",
      peer,
      message: `cannot send the reply: ${(error as Error).message}`,
    });
  }
}
