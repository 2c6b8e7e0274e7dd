import { deepEqual, equal, match } from "node:assert/strict";
import { decodeDatagram, MAX_DATAGRAM_PAYLOAD } from "../lib/protocol.ts";
import { UdpCalculator } from "../lib/udp_client.ts";
import { serveUdp } from "../lib/udp_server.ts";
import { runProgram } from "./helpers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Starts the real UDP service on 127.0.0.1 and a free port. */
function startUdpServer(
  hostname = "127.0.0.1",
): { port: number } & AsyncDisposable {
  const controller = new AbortController();
  const server = serveUdp({
    hostname,
    port: 0,
    signal: controller.signal,
  });
  return {
    port: server.addr.port,
    async [Symbol.asyncDispose]() {
      controller.abort();
      await server.finished;
    },
  };
}

/** Sends one datagram from a fresh socket and returns the one reply. */
async function exchange(
  port: number,
  request: string | Uint8Array,
): Promise<string> {
  using socket = datagramSocket();
  const bytes = typeof request === "string" ? encoder.encode(request) : request;
  await socket.conn.send(bytes, {
    transport: "udp",
    hostname: "127.0.0.1",
    port,
  });
  const [reply] = await socket.conn.receive();
  return decoder.decode(reply);
}

function datagramSocket(): { conn: Deno.DatagramConn } & Disposable {
  const conn = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port: 0,
    transport: "udp",
  });
  return { conn, [Symbol.dispose]: () => conn.close() };
}

Deno.test("decodeDatagram takes a whole datagram as one request, LF or not", async (t) => {
  const cases: [string, ReturnType<typeof decodeDatagram>][] = [
    ["3+8+5", { kind: "request", text: "3+8+5", terminated: false }],
    ["3+8+5\n", { kind: "request", text: "3+8+5", terminated: true }],
    ["3+8+5\r\n", { kind: "request", text: "3+8+5", terminated: true }],
    ["1\n2\n", { kind: "request", text: "1\n2", terminated: true }],
  ];
  for (const [input, frame] of cases) {
    await t.step(
      JSON.stringify(input),
      () => deepEqual(decodeDatagram(encoder.encode(input)), frame),
    );
  }
});

Deno.test("UDP server answers each datagram with one datagram, LF exactly when the request had one", async () => {
  await using server = startUdpServer();
  equal(await exchange(server.port, "3+8+5"), "16");
  equal(await exchange(server.port, "2**10\n"), "1024\n");
  equal(
    await exchange(server.port, "1/0\n"),
    "ERR ZeroDivisionError: division by zero\n",
  );
  equal(
    await exchange(server.port, Uint8Array.of(0xff, 0x0a)),
    "ERR InvalidUtf8: request is not valid UTF-8 text: byte 0xff at offset 0\n",
  );
});

Deno.test("UDP server answers a reply too big for one datagram with an error", async () => {
  await using server = startUdpServer();
  const reply = await exchange(
    server.port,
    "(" + "10**4000, ".repeat(17) + ")\n",
  );
  match(
    reply,
    new RegExp(
      `^ERR ReplyTooLong: reply of \\d+ bytes does not fit in one UDP datagram \\(at most ${MAX_DATAGRAM_PAYLOAD}\\)`,
    ),
  );
});

Deno.test("UdpCalculator asks expressions in order and measures each round trip", async () => {
  await using server = startUdpServer();
  await using calc = new UdpCalculator({
    address: "127.0.0.1",
    port: server.port,
    timeoutMs: 1000,
    retries: 0,
  });
  const answers = await Promise.all(
    ["6*7", "7/2", "(1, 2)"].map((e) => calc.request(e)),
  );
  deepEqual(answers.map((a) => a.reply), ["42", "3.5", "(1, 2)"]);
  equal(answers.every((a) => a.milliseconds >= 0), true);
});

Deno.test("client --udp prints replies from the UDP service", async () => {
  await using server = startUdpServer();
  const result = await runProgram("client.ts", [
    "--udp",
    "--port",
    String(server.port),
    "3+8+5",
    "1/0",
  ]);
  deepEqual(result, {
    code: 1,
    stdout: "16\nERR ZeroDivisionError: division by zero\n",
    stderr: "",
  });
});

Deno.test("client --udp refuses an expression longer than one datagram in one line, exits 3", async () => {
  await using server = startUdpServer();
  const long = "1+".repeat(35_000) + "1";
  const result = await runProgram("client.ts", [
    "--udp",
    "--port",
    String(server.port),
    long,
  ]);
  equal(result.stdout, "");
  equal(
    result.stderr,
    "sockcalc: An expression of 70002 bytes does not fit in one UDP datagram " +
      "(at most 65507); send it over TCP, without --udp\n",
  );
  equal(result.code, 3);
});

Deno.test("client --udp takes --host [::1] with brackets", async () => {
  await using server = startUdpServer("::1");
  const result = await runProgram("client.ts", [
    "--udp",
    "--host",
    "[::1]",
    "--port",
    String(server.port),
    "3+8+5",
  ]);
  deepEqual(result, { code: 0, stdout: "16\n", stderr: "" });
});

Deno.test("client --udp tries 1 + --retries times when nobody answers, explains the loss, exits 3", async () => {
  using silent = datagramSocket();
  const port = (silent.conn.addr as Deno.NetAddr).port;
  const tries: string[] = [];
  const counting = (async () => {
    for (let i = 0; i < 3; i++) {
      tries.push(decoder.decode((await silent.conn.receive())[0]));
    }
  })();
  const result = await runProgram("client.ts", [
    "--udp",
    "--timeout",
    "150ms",
    "--retries",
    "2",
    "--port",
    String(port),
    "1+1",
  ]);
  await counting;
  deepEqual(tries, ["1+1\n", "1+1\n", "1+1\n"]);
  equal(result.code, 3);
  equal(result.stdout, "");
  equal(
    result.stderr,
    `sockcalc: No reply from 127.0.0.1:${port} after 3 tries, 0.15 s each: UDP does not guarantee ` +
      "delivery, so the request or its reply was lost, or no server answers UDP there (start it with --udp)\n",
  );
});

Deno.test("client --udp never takes a late reply to one expression as the answer to the next", async () => {
  // A server that answers the first try of "1" late, after the client has
  // sent it again and moved on to "2": a client that read every reply from
  // one socket would print the late "ONE" as the answer to "2".
  using server = datagramSocket();
  const port = (server.conn.addr as Deno.NetAddr).port;
  const serving = (async () => {
    const [, firstTry] = await server.conn.receive();
    const [, retry] = await server.conn.receive();
    await server.conn.send(encoder.encode("ONE\n"), retry);
    const [, second] = await server.conn.receive();
    await server.conn.send(encoder.encode("ONE\n"), firstTry); // the late duplicate
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.conn.send(encoder.encode("TWO\n"), second);
  })();
  const result = await runProgram("client.ts", [
    "--udp",
    "--timeout",
    "200ms",
    "--retries",
    "1",
    "--port",
    String(port),
    "1",
    "2",
  ]);
  await serving;
  equal(result.stderr, "");
  equal(result.stdout, "ONE\nTWO\n");
  equal(result.code, 0);
});
