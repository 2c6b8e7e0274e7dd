/**
 * The baseline for benchmarks: a Deno TCP server that answers every
 * LF-terminated line with the constant line `0` and evaluates nothing, so
 * its throughput is what Deno's sockets allow and nothing more.
 *
 * Each connection reads into one reused buffer and answers all the lines of
 * a read with one write, taken from a buffer of replies filled once.
 *
 * Usage: `deno run --allow-net scripts/minimal_server.ts [--host H] [--port P]`;
 * port 0 (the default) picks a free port. It prints `listening on HOST:PORT`
 * to stderr and runs until interrupted.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parsePort } from "../lib/cli.ts";

const READ_BUFFER_BYTES = 16 * 1024;
const LF = 0x0a;
/** Every line is at least its LF, so one read holds at most this many. */
const REPLIES = new TextEncoder().encode("0\n".repeat(READ_BUFFER_BYTES));
const REPLY_BYTES = 2;

/** Where the minimal server listens, and what stops it. */
export interface MinimalServerOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
  signal?: AbortSignal;
}

/** A running minimal server. */
export interface MinimalServer {
  addr: Deno.NetAddr;
  /** Settles once the listener and every connection are closed. */
  finished: Promise<void>;
}

/**
 * Starts the minimal server. Aborting `signal` closes the listener and
 * every open connection.
 */
export function serveMinimal(options: MinimalServerOptions): MinimalServer {
  const listener = Deno.listen({
    hostname: options.hostname,
    port: options.port,
  });
  const conns = new Set<Deno.TcpConn>();
  const stop = () => {
    closeQuietly(listener);
    for (const conn of conns) closeQuietly(conn);
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  const finished = acceptAll(listener, conns).finally(() => {
    options.signal?.removeEventListener("abort", stop);
  });
  return { addr: listener.addr, finished };
}

async function acceptAll(
  listener: Deno.TcpListener,
  conns: Set<Deno.TcpConn>,
): Promise<void> {
  const handlers = new Set<Promise<void>>();
  try {
    for await (const conn of listener) {
      conns.add(conn);
      const handler = answerLines(conn).finally(() => {
        conns.delete(conn);
        handlers.delete(handler);
      });
      handlers.add(handler);
    }
  } catch {
    // The listener was closed under the loop: that is how it stops.
  }
  await Promise.all(handlers);
}

/** Answers each line on one connection until the peer closes it. */
async function answerLines(conn: Deno.TcpConn): Promise<void> {
  const buffer = new Uint8Array(READ_BUFFER_BYTES);
  try {
    conn.setNoDelay(true);
    while (true) {
      const count = await conn.read(buffer);
      if (count === null) break;
      const lines = countLines(buffer.subarray(0, count));
      if (lines > 0) await writeAll(conn, lines * REPLY_BYTES);
    }
  } catch {
    // A reset or a close by the stop signal: either way this peer is done.
  } finally {
    closeQuietly(conn);
  }
}

function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let at = bytes.indexOf(LF); at !== -1; at = bytes.indexOf(LF, at + 1)) {
    lines++;
  }
  return lines;
}

async function writeAll(conn: Deno.TcpConn, bytes: number): Promise<void> {
  for (let sent = 0; sent < bytes;) {
    sent += await conn.write(REPLIES.subarray(sent, bytes));
  }
}

function closeQuietly(closer: { close(): void }): void {
  try {
    closer.close();
  } catch {
    // Closed already.
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string", default: "0" },
    },
    strict: true,
  });
  const server = serveMinimal({
    hostname: values.host,
    port: parsePort(values.port, "--port", true),
  });
  const host = server.addr.hostname.includes(":")
    ? `[${server.addr.hostname}]`
    : server.addr.hostname;
  console.error(`listening on ${host}:${server.addr.port}`);
  await server.finished;
}
