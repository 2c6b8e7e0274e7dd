import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import type { ServerEvent } from "../lib/server.ts";
import { explainListenError, parseWorkers } from "../server.ts";
import {
  connectRaw,
  delay,
  programCommand,
  readLines,
  readOnce,
  readToEnd,
  send,
  startServer,
  startServerProgram,
  unusedPort,
} from "./helpers.ts";

Deno.test("server answers a classroom client that sends without LF and reads once", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, "3+8+5");
  equal(await readOnce(conn), "16");
});

Deno.test("server answers pipelined requests in order, each reply ending with LF", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, "1+1\n2**100\n1/0\n7/2\r\n(3, 1)\n\n");
  deepEqual(await readLines(conn, 6), [
    "2",
    "1267650600228229401496703205376",
    "ERR ZeroDivisionError: division by zero",
    "3.5",
    "(3, 1)",
    "ERR SyntaxError: invalid syntax (<string>, line 0)", // CPython says line 0 for an empty expression
  ]);
});

Deno.test("server answers a thousand pipelined requests sent in one write", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  const count = 1_000;
  const requests = Array.from({ length: count }, (_, i) => `${i}*${i}\n`).join(
    "",
  );
  await send(conn, requests);
  const replies = await readLines(conn, count);
  deepEqual(replies, Array.from({ length: count }, (_, i) => String(i * i)));
});

Deno.test("server answers repeated pipelined requests from memory exactly as when it remembers nothing", async () => {
  const lines = ["2**64", "1/0", "\u03c0", "", "0.1+0.2", "2**64\r", "1/0"];
  const burst = Array.from({ length: 200 }, (_, i) => lines[i % lines.length])
    .join("\n") + "\n";
  const repliesFrom = async (replyCacheSize: number) => {
    await using server = startServer({ replyCacheSize });
    const conn = await connectRaw(server.port);
    await send(conn, burst);
    await conn.closeWrite();
    const replies = await readToEnd(conn);
    conn.close();
    return replies;
  };
  const remembered = await repliesFrom(4);
  const evaluated = await repliesFrom(0);
  equal(remembered.split("\n").length - 1, 200);
  equal(remembered, evaluated);
});

Deno.test("server ends an unterminated request when the client closes its sending side", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, "1+1\n6*7");
  await conn.closeWrite();
  equal(await readToEnd(conn), "2\n42");
});

Deno.test("server ends an unterminated request after a pause, and keeps the connection", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, "2*3");
  equal(await readOnce(conn), "6");
  await send(conn, "10-4\n");
  equal(await readOnce(conn), "6\n");
});

Deno.test("server waits longer for the rest of a pipelined burst's last request", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  // As a busy sender's burst can arrive: cut inside its last request, the
  // rest after a gap longer than the 50 ms pause of a lone request.
  await send(conn, "1+1\n2+");
  await delay(300);
  await send(conn, "3\n");
  deepEqual(await readLines(conn, 2), ["2", "5"]);
});

Deno.test("server still answers a pipelined burst whose last request has no LF", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, "1+1\n2+3");
  deepEqual(await readLines(conn, 1), ["2"]);
  equal(await readOnce(conn), "5");
});

Deno.test("server answers an over-long request with an error and keeps the connection usable", async () => {
  await using server = startServer({ maxRequestBytes: 16 });
  using conn = await connectRaw(server.port);
  await send(conn, "1+".repeat(20) + "1\n5*5\n");
  deepEqual(await readLines(conn, 2), [
    "ERR RequestTooLong: request of 41 bytes exceeds the limit of 16 bytes",
    "25",
  ]);
});

Deno.test("server answers invalid UTF-8 with an error and keeps serving", async () => {
  await using server = startServer();
  using conn = await connectRaw(server.port);
  await send(conn, Uint8Array.of(0x31, 0xff, 0x0a, 0x32, 0x2b, 0x32, 0x0a));
  deepEqual(await readLines(conn, 2), [
    "ERR InvalidUtf8: request is not valid UTF-8 text: byte 0xff at offset 1",
    "4",
  ]);
});

Deno.test("server serves IPv6 loopback clients", async () => {
  await using server = startServer({ hostname: "::1" });
  using conn = await connectRaw(server.port, "::1");
  await send(conn, "2**10\n");
  equal(await readOnce(conn), "1024\n");
});

Deno.test("server keeps answering others while one client is silent or vanishes mid-request", async () => {
  await using server = startServer();
  using silent = await connectRaw(server.port);
  const vanishing = await connectRaw(server.port);
  await send(vanishing, "2**");
  vanishing.close();
  using active = await connectRaw(server.port);
  for (let i = 0; i < 5; i++) {
    await send(active, `${i}+1\n`);
    equal(await readOnce(active), `${i + 1}\n`);
  }
  await send(silent, "7*6\n");
  equal(await readOnce(silent), "42\n");
});

Deno.test("server refuses connections over its limit with one error line, and admits again after", async () => {
  await using server = startServer({ maxConnections: 2 });
  using first = await connectRaw(server.port);
  const second = await connectRaw(server.port);
  // Make sure both were accepted before the third arrives.
  await send(first, "1\n");
  await readOnce(first);
  await send(second, "1\n");
  await readOnce(second);
  {
    using third = await connectRaw(server.port);
    equal(
      await readToEnd(third),
      "ERR TooManyConnections: the server is serving its limit of 2 connections; try again later\n",
    );
  }
  second.close();
  await waitFor(() => server.events.some((e) => e.type === "close"));
  using fourth = await connectRaw(server.port);
  await send(fourth, "2+2\n");
  equal(await readOnce(fourth), "4\n");
});

Deno.test("server closes a connection that stays idle past the idle timeout", async () => {
  await using server = startServer({ idleTimeoutMs: 100 });
  using conn = await connectRaw(server.port);
  await send(conn, "1+1\n");
  equal(await readOnce(conn), "2\n");
  equal(await readToEnd(conn), "");
  const closed = server.events.find((e) => e.type === "close");
  equal(closed?.type === "close" && closed.reason, "idle timeout");
});

Deno.test("server stopping answers every request it has read, then closes", async () => {
  const server = startServer();
  const conn = await connectRaw(server.port);
  const count = 200_000;
  const requests = Array.from({ length: count }, (_, i) => `${i}+1\n`).join("");
  const sending = send(conn, requests).catch(() => {});
  const reading = readToEnd(conn);
  await waitFor(() => server.events.some((e) => e.type === "open"));
  await delay(5);
  const stopping = server.stop();
  // The server ends its side first, then waits for the client to close.
  const replies = (await reading).split("\n").filter((line) => line !== "");
  await sending;
  conn.close();
  await stopping;
  const closed = server.events.find((
    e,
  ): e is Extract<ServerEvent, { type: "close" }> => e.type === "close");
  equal(closed?.reason, "server stopping");
  ok(replies.length < count, "the server was stopped mid-stream");
  equal(replies.length, closed?.requests, "every request read got its reply");
  replies.forEach((reply, i) => equal(reply, String(i + 1)));
});

Deno.test({
  name:
    "server program exits 0 on SIGTERM after answering every request it read",
  ignore: Deno.build.os === "windows",
}, async () => {
  const server = await startServerProgram();
  const conn = await connectRaw(server.port);
  const count = 200_000;
  const sending = send(
    conn,
    Array.from({ length: count }, (_, i) => `${i}*2\n`).join(""),
  )
    .catch(() => {});
  const reading = readToEnd(conn);
  await server.until(/open /);
  await delay(20);
  const stopping = server.stop("SIGTERM");
  const replies = (await reading).split("\n").filter((line) => line !== "");
  await sending;
  conn.close();
  const status = await stopping;
  const closeLine = await server.until(
    /close\s+\S+ \((\d+) requests?, server stopping\)/,
  );
  equal(status.code, 0);
  ok(replies.length < count, "the server was stopped mid-stream");
  equal(
    replies.length,
    Number(closeLine[1]),
    "every request read got its reply",
  );
  replies.forEach((reply, i) => equal(reply, String(i * 2)));
});

Deno.test("server program says in one line that the port is in use, and exits 1", async () => {
  await using server = startServer();
  const child = programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    String(server.port),
  ]);
  const output = await child.output();
  const stderr = new TextDecoder().decode(output.stderr);
  equal(output.code, 1);
  equal(
    stderr,
    portInUseLine("TCP", server.port),
  );
});

Deno.test("server program rejects bad options with exit status 2, naming the option", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--port", "70000"], /Invalid port for --port: "70000"/],
    [
      ["--cache-size", "9999999999"],
      /Invalid value for --cache-size: "9999999999" \(use a whole number from 0 to 1,000,000\)/,
    ],
    [
      ["--idle-timeout", "0"],
      /Invalid duration for --idle-timeout: "0" \(use more than 0\)/,
    ],
  ];
  if (Deno.build.os === "linux") {
    cases.push([
      ["--workers", "2", "--max-connections", "1"],
      /--max-connections 1 is fewer than --workers 2/,
    ]);
  }
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const output = await programCommand("server.ts", args).output();
      equal(output.code, 2);
      match(new TextDecoder().decode(output.stderr), message);
    });
  }
});

Deno.test("server program prints where classmates can connect", async () => {
  const server = await startServerProgram(["--host", "0.0.0.0"]);
  const local = await server.until(/On this machine: 127\.0\.0\.1:(\d+)/);
  equal(Number(local[1]), server.port);
  equal((await server.stop()).code, 0);
});

/** Polls until `condition` holds, for at most two seconds. */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 2_000) throw new Error("Condition not met within 2 s");
    await delay(10);
  }
}

/** The one line, and its end, the server prints for a port in use. */
function portInUseLine(transport: string, port: number): string {
  return `Cannot listen on ${transport} 127.0.0.1:${port}: the port is already in use; ` +
    "choose another with --port, or stop the program using it\n";
}

Deno.test("parseWorkers takes a count or auto, and refuses more than one outside Linux", () => {
  equal(parseWorkers("1", "darwin"), 1);
  equal(parseWorkers("3", "linux"), 3);
  equal(parseWorkers("auto", "linux"), navigator.hardwareConcurrency);
  throws(() => parseWorkers("2", "windows"), /--workers needs Linux/);
  throws(() => parseWorkers("0", "linux"), /Invalid value for --workers/);
});

Deno.test({
  name:
    "server program with --workers 2 answers on one port and stops every worker on SIGTERM",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const server = await startServerProgram(["--workers", "2"]);
  const port = server.port;
  // The second worker announces itself on the same port.
  await server.until(new RegExp(`listening on TCP 127\\.0\\.0\\.1:${port}`));
  for (let i = 0; i < 8; i++) {
    using conn = await connectRaw(port);
    await send(conn, `${i}*${i}\n`);
    equal(await readOnce(conn), `${i * i}\n`);
  }
  const status = await server.stop();
  equal(server.log().match(/\bstopped\b/g)?.length, 2, "both servers stopped");
  equal(status.code, 0);
});

Deno.test({
  name:
    "server program with --workers 2 refuses a port that a --workers server already holds",
  ignore: Deno.build.os !== "linux",
}, async () => {
  const first = await startServerProgram(["--workers", "2"]);
  const second = programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    String(first.port),
    "--workers",
    "2",
  ]).spawn();
  // A second server that wrongly starts would run until stopped.
  const stopper = setTimeout(() => second.kill(), 10_000);
  const output = await second.output();
  clearTimeout(stopper);
  equal(output.code, 1);
  equal(
    new TextDecoder().decode(output.stderr),
    portInUseLine("TCP", first.port),
  );
  equal((await first.stop()).code, 0);
});

Deno.test("server program with --log-format json writes one timed JSON object per line", async () => {
  const child = programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--log-format",
    "json",
  ]).spawn();
  let log = "";
  const decoder = new TextDecoder();
  const reader = child.stderr.getReader();
  const deadline = Date.now() + 10_000;
  while (!log.includes('"reachable"') && Date.now() < deadline) {
    const chunk = await reader.read();
    if (chunk.done) break;
    log += decoder.decode(chunk.value, { stream: true });
  }
  child.kill("SIGTERM");
  for (
    let chunk = await reader.read();
    !chunk.done;
    chunk = await reader.read()
  ) {
    log += decoder.decode(chunk.value, { stream: true });
  }
  equal((await child.status).code, 0);
  await child.stdout.cancel();
  const events = log.trim().split("\n").map((line) => JSON.parse(line));
  deepEqual(
    events.map((event) => event.event),
    ["listening", "reachable", "stopping", "stopped"],
  );
  for (const event of events) {
    match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
});

Deno.test("server program keeps serving when its log's reader has gone", async () => {
  const port = unusedPort();
  const child = programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
  ]).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  for (let log = ""; !log.includes("listening");) {
    const chunk = await reader.read();
    if (chunk.done) throw new Error(`The server ended: ${log}`);
    log += chunk.value;
  }
  // As with `sockcalc-server 2>&1 | head -1`: every later log line fails.
  await reader.cancel();
  for (let i = 0; i < 3; i++) {
    using conn = await connectRaw(port);
    await send(conn, `${i}+1\n`);
    equal(await readOnce(conn), `${i + 1}\n`);
  }
  child.kill("SIGTERM");
  equal((await child.status).code, 0);
  await child.stdout.cancel();
});

Deno.test("server program stops at once on a second signal while it waits for a client", async () => {
  const server = await startServerProgram(["--shutdown-timeout", "30s"]);
  using _idle = await connectRaw(server.port);
  await server.until(/open/);
  Deno.kill(server.pid, "SIGTERM");
  await server.until(/stopping: .*a second Ctrl-C stops at once/);
  const status = await server.stop("SIGTERM");
  equal(status.code, 130);
  match(
    server.log(),
    /\n\d\d:\d\d:\d\d\.\d{3} stopped at once by a second signal/,
  );
});

Deno.test("server program whose UDP port is taken says so in one line, and nothing else", async () => {
  const port = unusedPort();
  const taken = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port,
    transport: "udp",
  });
  const output = await programCommand("server.ts", [
    "--host",
    "127.0.0.1",
    "--port",
    String(port),
    "--udp",
  ]).output();
  taken.close();
  equal(output.code, 1);
  equal(
    new TextDecoder().decode(output.stderr),
    portInUseLine("UDP", port),
  );
});

Deno.test("explainListenError says in one line what failed and what to try", async (t) => {
  const cases: [unknown, string][] = [
    [
      new Deno.errors.AddrInUse("Address already in use (os error 98)"),
      "Cannot listen on TCP 0.0.0.0:5050: the port is already in use; choose another with --port, or stop the program using it",
    ],
    [
      new Deno.errors.PermissionDenied("Permission denied (os error 13)"),
      "Cannot listen on TCP 0.0.0.0:5050: not permitted; ports below 1024 need administrator rights, so use --port 5050 or another above 1024",
    ],
    [
      new Deno.errors.AddrNotAvailable(
        "Cannot assign requested address (os error 99)",
      ),
      "Cannot listen on TCP 0.0.0.0:5050: this machine has no such address; use --host 0.0.0.0 to listen on all of its networks",
    ],
    [
      new Error(
        "failed to lookup address information: Name or service not known",
      ),
      "Cannot listen on TCP 0.0.0.0:5050: no such address on this machine; use --host 0.0.0.0 to listen on all of its networks",
    ],
    [
      new Error("something else"),
      "Cannot listen on TCP 0.0.0.0:5050: something else",
    ],
  ];
  for (const [error, line] of cases) {
    await t.step(
      String(error),
      () => equal(explainListenError(error, "TCP 0.0.0.0:5050"), line),
    );
  }
});
