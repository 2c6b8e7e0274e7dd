import { deepEqual, equal, match } from "node:assert/strict";
import { painter } from "../lib/output.ts";
import {
  abbreviate,
  dumpBytes,
  estimateOverhead,
  Tracer,
} from "../lib/trace.ts";
import { runProgram, startServerProgram, unusedPort } from "./helpers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("dumpBytes shows the count, hex and printable text of the bytes", () => {
  equal(dumpBytes(bytes("3+8+5\n")), "6 bytes  33 2b 38 2b 35 0a  |3+8+5.|");
  equal(dumpBytes(bytes("")), "0 bytes");
  equal(dumpBytes(Uint8Array.of(0x31)), "1 byte  31  |1|");
});

Deno.test("dumpBytes cuts at 64 bytes and counts the rest", () => {
  const dump = dumpBytes(bytes("9".repeat(100)));
  match(dump, /^100 bytes {2}(39 ){63}39 {2}\|9{64}\| \(\+36 more\)$/);
});

Deno.test("abbreviate keeps short text and cuts long text, counting the rest", () => {
  equal(abbreviate("3+8+5"), "3+8+5");
  const digits = "7".repeat(3011);
  equal(
    abbreviate(digits),
    `${"7".repeat(100)}... (+2,911 more characters)`,
  );
});

Deno.test("estimateOverhead counts one set of headers per packet", async (t) => {
  const cases: [
    number,
    "tcp" | "udp",
    string,
    ReturnType<typeof estimateOverhead>,
  ][] = [
    [3, "tcp", "127.0.0.1:5050", {
      packets: 1,
      transportBytes: 20,
      networkBytes: 20,
      linkBytes: 18,
    }],
    [3, "udp", "127.0.0.1:5050", {
      packets: 1,
      transportBytes: 8,
      networkBytes: 20,
      linkBytes: 18,
    }],
    [3, "tcp", "[::1]:5050", {
      packets: 1,
      transportBytes: 20,
      networkBytes: 40,
      linkBytes: 18,
    }],
    // 1460 bytes of TCP payload fit one IPv4 frame; 1461 need two segments.
    [1460, "tcp", "10.0.0.1:1", {
      packets: 1,
      transportBytes: 20,
      networkBytes: 20,
      linkBytes: 18,
    }],
    [1461, "tcp", "10.0.0.1:1", {
      packets: 2,
      transportBytes: 40,
      networkBytes: 40,
      linkBytes: 36,
    }],
    // A 3000-byte UDP datagram is split by IP into 3 fragments; one UDP header.
    [3000, "udp", "10.0.0.1:1", {
      packets: 3,
      transportBytes: 8,
      networkBytes: 60,
      linkBytes: 54,
    }],
  ];
  for (const [payload, transport, peer, expected] of cases) {
    await t.step(`${payload} bytes ${transport} to ${peer}`, () => {
      deepEqual(estimateOverhead(payload, transport, peer), expected);
    });
  }
});

Deno.test("Tracer writes one aligned line per primitive, with time since start", () => {
  const lines: string[] = [];
  let clock = 1000;
  const tracer = new Tracer(
    "server",
    (line) => lines.push(line),
    painter(false),
    () => clock,
  );
  clock = 1001.5;
  tracer.step("accept", "127.0.0.1:4000", "new connected socket");
  tracer.data("write", "127.0.0.1:4000", bytes("16\n"), "tcp");
  deepEqual(lines, [
    "     1.500 ms  server  accept    127.0.0.1:4000         new connected socket",
    "     1.500 ms  server  write     127.0.0.1:4000         3 bytes  31 36 0a  |16.|  " +
    "+58 header bytes, est.: TCP 20, IPv4 20, Ethernet 18",
  ]);
});

/** The primitive of each trace line (its third column), in order. */
function primitives(stderr: string, side: "server" | "client"): string[] {
  return stderr.split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((columns) => columns[2] === side)
    .map((columns) => columns[3]);
}

/** Starts the server program with --trace; `stop` ends it and returns its log. */
async function startTracedServer(extra: string[] = []) {
  const server = await startServerProgram(["--trace", ...extra]);
  return {
    port: server.port,
    async stop(): Promise<string> {
      equal((await server.stop()).code, 0);
      return server.log();
    },
  };
}

Deno.test("--trace shows a TCP session primitive by primitive, on both sides", async () => {
  const server = await startTracedServer();
  const client = await runProgram("client.ts", [
    "--trace",
    "--host",
    "localhost",
    "--port",
    String(server.port),
    "3+8+5",
  ]);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the server trace the close
  const serverTrace = await server.stop();

  equal(client.stdout, "16\n");
  deepEqual(primitives(client.stderr, "client"), [
    "dns",
    "socket",
    "connect",
    "write",
    "read",
    "rtt",
    "close",
  ]);
  match(client.stderr, /dns\s+localhost\s+127\.0\.0\.1 \(/);
  match(
    client.stderr,
    /write\s+127\.0\.0\.1:\d+\s+6 bytes {2}33 2b 38 2b 35 0a {2}\|3\+8\+5\.\| {2}\+58 header bytes, est\./,
  );
  match(
    client.stderr,
    /read\s+127\.0\.0\.1:\d+\s+3 bytes {2}31 36 0a {2}\|16\.\|/,
  );

  deepEqual(primitives(serverTrace, "server"), [
    "socket",
    "bind",
    "listen",
    "accept",
    "read",
    "decode",
    "evaluate",
    "encode",
    "write",
    "close",
  ]);
  match(serverTrace, /read\s+127\.0\.0\.1:\d+\s+6 bytes {2}33 2b 38 2b 35 0a/);
  match(serverTrace, /decode\s+127\.0\.0\.1:\d+\s+"3\+8\+5" \+ LF/);
  match(serverTrace, /evaluate\s+127\.0\.0\.1:\d+\s+16 {2}\(\d+ µs\)/);
  match(serverTrace, /encode\s+127\.0\.0\.1:\d+\s+"16\\n"/);
  match(
    serverTrace,
    /write\s+127\.0\.0\.1:\d+\s+3 bytes {2}31 36 0a {2}\|16\.\| {2}\+58 header bytes, est\./,
  );
});

Deno.test("--trace shows a UDP exchange: recvfrom and sendto, and the client's round trip", async () => {
  const server = await startTracedServer(["--udp"]);
  const client = await runProgram("client.ts", [
    "--trace",
    "--udp",
    "--port",
    String(server.port),
    "2**10",
  ]);
  const serverTrace = await server.stop();

  equal(client.stdout, "1024\n");
  deepEqual(primitives(client.stderr, "client"), [
    "socket",
    "sendto",
    "recvfrom",
    "rtt",
  ]);
  match(
    client.stderr,
    /sendto\s+127\.0\.0\.1:\d+\s+6 bytes {2}32 2a 2a 31 30 0a {2}\|2\*\*10\.\| {2}\+46 header bytes, est\.: UDP 8/,
  );
  match(
    client.stderr,
    /recvfrom\s+127\.0\.0\.1:\d+\s+5 bytes {2}31 30 32 34 0a/,
  );
  match(client.stderr, /rtt\s+127\.0\.0\.1:\d+\s+\d+\.\d{3} ms on try 1/);

  deepEqual(primitives(serverTrace, "server"), [
    "socket",
    "bind",
    "listen",
    "socket",
    "bind",
    "recvfrom",
    "decode",
    "evaluate",
    "encode",
    "sendto",
  ]);
  match(
    serverTrace,
    /recvfrom\s+127\.0\.0\.1:\d+\s+6 bytes {2}32 2a 2a 31 30 0a/,
  );
  match(
    serverTrace,
    /sendto\s+127\.0\.0\.1:\d+\s+5 bytes {2}31 30 32 34 0a {2}\|1024\.\| {2}\+46 header bytes/,
  );
});

Deno.test("--trace names the primitive that failed and its error", async (t) => {
  await t.step("bind, on a TCP port already taken", async () => {
    using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = String(taken.addr.port);
    const server = await runProgram("server.ts", [
      "--trace",
      "--host",
      "127.0.0.1",
      "--port",
      port,
    ]);
    equal(server.code, 1);
    deepEqual(primitives(server.stderr, "server"), ["socket", "bind"]);
    match(
      server.stderr,
      new RegExp(`bind\\s+127\\.0\\.0\\.1:${port}\\s+failed: EADDRINUSE`),
    );
    match(server.stderr, /Cannot listen on TCP 127\.0\.0\.1:\d+: the port/);
  });

  await t.step("bind, on a UDP port already taken", async () => {
    const port = unusedPort();
    const taken = Deno.listenDatagram({
      hostname: "127.0.0.1",
      port,
      transport: "udp",
    });
    const server = await runProgram("server.ts", [
      "--trace",
      "--udp",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ]).finally(() => taken.close());
    equal(server.code, 1);
    deepEqual(primitives(server.stderr, "server").slice(-2), [
      "socket",
      "bind",
    ]);
    match(server.stderr, /bind\s+127\.0\.0\.1:\d+\s+failed: EADDRINUSE/);
  });

  await t.step("connect, when nothing listens", async () => {
    const port = String(unusedPort());
    const client = await runProgram("client.ts", [
      "--trace",
      "--port",
      port,
      "1+1",
    ]);
    equal(client.code, 3);
    deepEqual(primitives(client.stderr, "client"), ["socket", "connect"]);
    match(
      client.stderr,
      new RegExp(`connect\\s+127\\.0\\.0\\.1:${port}\\s+failed: ECONNREFUSED`),
    );
  });
});
