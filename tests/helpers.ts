/**
 * Shared pieces of the end-to-end tests: a real server on a free loopback
 * port, raw sockets, and the command-line programs run as subprocesses.
 */

import { serve, type ServeOptions, type ServerEvent } from "../lib/server.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A server started in this process for one test. */
export interface TestServer extends AsyncDisposable {
  port: number;
  events: ServerEvent[];
  stop(): Promise<void>;
}

/** Starts the real server on 127.0.0.1 and a free port. */
export function startServer(options: Partial<ServeOptions> = {}): TestServer {
  const controller = new AbortController();
  const events: ServerEvent[] = [];
  const server = serve({
    hostname: "127.0.0.1",
    port: 0,
    ...options,
    signal: controller.signal,
    onEvent: (event) => events.push(event),
  });
  const stop = async () => {
    controller.abort();
    await server.finished;
  };
  return { port: server.addr.port, events, stop, [Symbol.asyncDispose]: stop };
}

/** Connects a raw TCP socket to a loopback port. */
export function connectRaw(
  port: number,
  hostname = "127.0.0.1",
): Promise<Deno.TcpConn> {
  return Deno.connect({ hostname, port });
}

/** Writes all of `text` (or bytes) to a connection. */
export async function send(
  conn: Deno.Conn,
  data: string | Uint8Array,
): Promise<void> {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  for (let sent = 0; sent < bytes.length;) {
    sent += await conn.write(bytes.subarray(sent));
  }
}

/** Reads once, as a classroom client's `recv(1024)` does. */
export async function readOnce(
  conn: Deno.Conn,
  size = 1024,
): Promise<string | null> {
  const buffer = new Uint8Array(size);
  const count = await conn.read(buffer);
  return count === null ? null : decoder.decode(buffer.subarray(0, count));
}

/** Reads until the peer closes, returning everything as text. */
export async function readToEnd(conn: Deno.Conn): Promise<string> {
  const chunks: string[] = [];
  const streaming = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  while (true) {
    const count = await conn.read(buffer).catch((error) => {
      if (error instanceof Deno.errors.ConnectionReset) return null;
      throw error;
    });
    if (count === null) break;
    chunks.push(streaming.decode(buffer.subarray(0, count), { stream: true }));
  }
  return chunks.join("") + streaming.decode();
}

/** Reads until `lines` complete lines have arrived, and returns them. */
export async function readLines(
  conn: Deno.Conn,
  lines: number,
): Promise<string[]> {
  let text = "";
  const streaming = new TextDecoder();
  const buffer = new Uint8Array(64 * 1024);
  while (text.split("\n").length - 1 < lines) {
    const count = await conn.read(buffer);
    if (count === null) {
      throw new Error(
        `Connection closed after ${text.split("\n").length - 1} lines`,
      );
    }
    text += streaming.decode(buffer.subarray(0, count), { stream: true });
  }
  return text.split("\n").slice(0, lines);
}

/** The output of a finished program. */
export interface ProgramResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's programs with Deno and the given input. */
export async function runProgram(
  script: "client.ts" | "server.ts",
  args: string[],
  input?: string,
): Promise<ProgramResult> {
  const child = programCommand(
    script,
    args,
    input === undefined ? "null" : "piped",
  ).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(encoder.encode(input));
    await writer.close();
  }
  const output = await child.output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** A `Deno.Command` that runs a project program with the permissions its task gives. */
export function programCommand(
  script: "client.ts" | "server.ts",
  args: string[],
  stdin: "piped" | "null" = "null",
): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: programArgs(script, args),
    stdin,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  });
}

/** The arguments to `deno` that run a project program as its task does. */
export function programArgs(
  script: "client.ts" | "server.ts",
  args: string[],
): string[] {
  const path = new URL(`../${script}`, import.meta.url).pathname;
  // The server reads only lib/: --workers loads lib/server_worker.ts and its
  // imports as Web Workers, which Deno allows only with read permission. The
  // client reads the file `bench --exprs` names.
  const lib = new URL("../lib", import.meta.url).pathname;
  const read = script === "server.ts" ? `--allow-read=${lib}` : "--allow-read";
  return [
    "run",
    "--unstable-net",
    "--allow-net",
    "--allow-sys=networkInterfaces",
    "--allow-env=NO_COLOR",
    read,
    path,
    ...args,
  ];
}

/** Returns a loopback port that nothing listens on, at least for a moment. */
export function unusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The server program running in a child process, with its log as it grows. */
export interface ServerProgram {
  port: number;
  pid: number;
  /** Everything the server has written to stderr so far. */
  log(): string;
  /** Waits for the next log line, after those already matched, that matches. */
  until(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Sends a signal, waits for the program to end and its log to close. */
  stop(signal?: Deno.Signal): Promise<Deno.CommandStatus>;
}

/**
 * Starts the server program on 127.0.0.1 and a free port, with `args`
 * added (a later `--host` wins), and waits until it listens.
 */
export async function startServerProgram(
  args: string[] = [],
): Promise<ServerProgram> {
  const child = programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    ...args,
  ]).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let log = "";
  let grew = Promise.withResolvers<void>();
  const reading = (async () => {
    for (
      let chunk = await reader.read();
      !chunk.done;
      chunk = await reader.read()
    ) {
      log += chunk.value;
      grew.resolve();
      grew = Promise.withResolvers<void>();
    }
    grew.resolve();
  })();
  let ended = false;
  reading.then(() => ended = true);
  let matchedUpTo = 0;
  const until = async (pattern: RegExp): Promise<RegExpMatchArray> => {
    while (true) {
      const lines = log.slice(matchedUpTo).split("\n").slice(0, -1);
      let offset = matchedUpTo;
      for (const line of lines) {
        offset += line.length + 1;
        const found = line.match(pattern);
        if (found) {
          matchedUpTo = offset;
          return found;
        }
      }
      if (ended) {
        throw new Error(
          `The server's log ended without a line matching ${pattern}: ${log}`,
        );
      }
      await grew.promise;
    }
  };
  const port = Number((await until(/listening on TCP \S+:(\d+)/))[1]);
  return {
    port,
    pid: child.pid,
    log: () => log,
    until,
    async stop(signal: Deno.Signal = "SIGTERM") {
      child.kill(signal);
      const status = await child.status;
      await reading;
      await child.stdout.cancel();
      return status;
    },
  };
}

/** Euclid's gcd on bigints: slow, and plainly right; gcd tests' reference. */
export function euclid(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
