/**
 * The calculator client over UDP: each expression travels in its own
 * datagram, and the client sends it again when no reply comes in time.
 *
 * UDP replies carry nothing that says which request they answer, so every
 * expression gets a socket (and so a port) of its own: a reply that arrives
 * late, after its expression was given up or answered, reaches a socket
 * that is already closed and can never be taken for the answer to the next
 * expression. Needs `--unstable-net`.
 *
 * @module
 */

import type { Answer } from "./client.ts";
import { formatAddress } from "./network.ts";
import { encodeRequest, MAX_DATAGRAM_PAYLOAD } from "./protocol.ts";
import { TIMED_OUT, withTimeout } from "./timeout.ts";
import type { Tracer } from "./trace.ts";

/** Where to send and how patiently. */
export interface UdpClientOptions {
  /** The server's IP address; resolve names first. */
  address: string;
  port: number;
  /** How long to wait for a reply to each try. */
  timeoutMs: number;
  /** How many times to send again after the first try goes unanswered. */
  retries: number;
  trace?: Tracer;
}

/** No reply came to any try: the datagrams or their replies were lost. */
export class NoReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoReplyError";
  }
}

/** An expression too long for one datagram; TCP carries it. */
export class DatagramTooLongError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatagramTooLongError";
  }
}

/** Asks expressions over UDP one at a time, in the order they are asked. */
export class UdpCalculator implements AsyncDisposable {
  readonly #options: UdpClientOptions;
  readonly #target: Deno.NetAddr;
  #previous: Promise<unknown> = Promise.resolve();

  constructor(options: UdpClientOptions) {
    this.#options = options;
    this.#target = {
      transport: "udp",
      hostname: options.address,
      port: options.port,
    };
  }

  /** The server's address, as `host:port`. */
  get target(): string {
    return formatAddress(this.#target);
  }

  /**
   * Never settles: UDP has no connection to lose, and each request fails
   * on its own when no reply comes.
   */
  readonly ended: Promise<Error> = new Promise(() => {});

  /** Sends one expression, after the previous one is answered, and resolves with its reply. */
  request(expression: string): Promise<Answer> {
    const answer = this.#previous.then(() => this.#ask(expression));
    this.#previous = answer.catch(() => {});
    return answer;
  }

  /** Resolves once the expressions asked so far are answered. */
  async waitForRoom(): Promise<void> {
    await this.#previous;
  }

  async #ask(expression: string): Promise<Answer> {
    const request = new TextEncoder().encode(encodeRequest(expression));
    if (request.length > MAX_DATAGRAM_PAYLOAD) {
      throw new DatagramTooLongError(
        `An expression of ${request.length} bytes does not fit in one UDP ` +
          `datagram (at most ${MAX_DATAGRAM_PAYLOAD}); send it over TCP, without --udp`,
      );
    }
    const { trace, timeoutMs, retries } = this.#options;
    const family = this.#target.hostname.includes(":") ? "::" : "0.0.0.0";
    trace?.step(
      "socket",
      "",
      "UDP (SOCK_DGRAM), a new port for this expression",
    );
    using socket = disposable(
      Deno.listenDatagram({ hostname: family, port: 0, transport: "udp" }),
    );
    const started = performance.now();
    const reply = this.#receiveFromServer(socket.conn);
    for (let attempt = 1; attempt <= retries + 1; attempt++) {
      trace?.data("sendto", this.target, request, "udp");
      await socket.conn.send(request, this.#target);
      const outcome = await withTimeout(reply, timeoutMs);
      if (outcome !== TIMED_OUT) {
        const milliseconds = performance.now() - started;
        trace?.step(
          "rtt",
          this.target,
          `${milliseconds.toFixed(3)} ms on try ${attempt}`,
        );
        return { expression, reply: outcome, milliseconds };
      }
      trace?.step(
        "rtt",
        this.target,
        `no reply within ${timeoutMs} ms on try ${attempt}`,
      );
    }
    reply.catch(() => {});
    const tries = retries + 1;
    throw new NoReplyError(
      `No reply from ${this.target} after ${tries} ${
        tries === 1 ? "try" : "tries"
      }, ` +
        `${
          timeoutMs / 1000
        } s each: UDP does not guarantee delivery, so the request or its ` +
        `reply was lost, or no server answers UDP there (start it with --udp)`,
    );
  }

  /** Waits for a datagram from the server, ignoring any other sender. */
  async #receiveFromServer(conn: Deno.DatagramConn): Promise<string> {
    while (true) {
      const [datagram, from] = await conn.receive();
      if (!sameAddress(from, this.#target)) continue;
      this.#options.trace?.data("recvfrom", this.target, datagram, "udp");
      const text = new TextDecoder().decode(datagram);
      return text.endsWith("\n") ? text.slice(0, -1) : text;
    }
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.waitForRoom();
  }
}

function sameAddress(a: Deno.Addr, b: Deno.NetAddr): boolean {
  return a.transport === "udp" && a.port === b.port &&
    normalizeHost(a.hostname) === normalizeHost(b.hostname);
}

/** IPv4 addresses may come back mapped into IPv6 (`::ffff:127.0.0.1`). */
function normalizeHost(hostname: string): string {
  return hostname.toLowerCase().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, "$1");
}

function disposable(
  conn: Deno.DatagramConn,
): { conn: Deno.DatagramConn } & Disposable {
  return {
    conn,
    [Symbol.dispose]() {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    },
  };
}
