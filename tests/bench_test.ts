import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { type BenchOptions, runBench } from "../lib/bench.ts";
import { DEFAULT_EXPRESSIONS } from "../lib/bench_expressions.ts";
import { ConnectError } from "../lib/client.ts";
import { serveMinimal } from "../scripts/minimal_server.ts";
import { isIpAddress } from "../lib/network.ts";
import { runProgram, send, startServer } from "./helpers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const BENCH_CLI = new URL("../lib/bench_cli.ts", import.meta.url).href;

/** Runs the minimal server for the length of `body`. */
async function withMinimalServer(
  body: (port: number) => Promise<void>,
): Promise<void> {
  const controller = new AbortController();
  const server = serveMinimal({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
  });
  try {
    await body(server.addr.port);
  } finally {
    controller.abort();
    await server.finished;
  }
}

/**
 * A tiny line server for one test: `answer` returns the reply to each line
 * (without LF) and may wait first.
 */
async function withLineServer(
  answer: (line: string, index: number) => string | Promise<string>,
  body: (port: number) => Promise<void>,
  splitReplies = false,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  let index = 0;
  const serveConn = async (conn: Deno.Conn) => {
    const buffer = new Uint8Array(16 * 1024);
    let pending = "";
    try {
      for (
        let n = await conn.read(buffer);
        n !== null;
        n = await conn.read(buffer)
      ) {
        pending += decoder.decode(buffer.subarray(0, n));
        const lines = pending.split("\n");
        pending = lines.pop()!;
        for (const line of lines) {
          const reply = encoder.encode(`${await answer(line, index++)}\n`);
          if (splitReplies) {
            await conn.write(reply.subarray(0, 2));
            await new Promise((resolve) => setTimeout(resolve, 2));
            await conn.write(reply.subarray(2));
          } else {
            await conn.write(reply);
          }
        }
      }
    } catch {
      // The benchmark closed its side: done.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // Closed already.
      }
    }
  };
  const handlers: Promise<void>[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        conns.add(conn);
        handlers.push(serveConn(conn));
      }
    } catch {
      // Closed below.
    }
  })();
  try {
    await body(listener.addr.port);
  } finally {
    listener.close();
    for (const conn of conns) conn.close();
    await accepting;
    await Promise.all(handlers);
  }
}

function options(port: number, extra: Partial<BenchOptions>): BenchOptions {
  return {
    hostname: "127.0.0.1",
    port,
    connections: 4,
    pipeline: 8,
    warmupMs: 0,
    timeoutMs: 5000,
    expressions: DEFAULT_EXPRESSIONS,
    ...extra,
  };
}

/** A loopback port with nothing listening on it. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

/** `sockcalc bench` (benchMain) as a command, `args` after `bench`. */
function benchCliCommand(args: string[]): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { benchMain } from "${BENCH_CLI}"; Deno.exit(await benchMain(Deno.args));`,
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

/** Runs `sockcalc bench` (benchMain) in a subprocess. */
async function runBenchCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return textOf(await benchCliCommand(args).output());
}

function textOf(
  output: Deno.CommandOutput,
): { code: number; stdout: string; stderr: string } {
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Runs `sockcalc bench` in a subprocess whose open-file limit is `limit`,
 * set by the shell's `ulimit -n`, so that sockets run out.
 */
async function runBenchCliWithFileLimit(
  limit: number,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n ${limit} && exec "$0" "$@"`,
      Deno.execPath(),
      "eval",
      "--unstable-net", // For UDP.
      `import { benchMain } from "${BENCH_CLI}"; Deno.exit(await benchMain(Deno.args));`,
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  return textOf(output);
}

/** Runs a server that accepts connections, reads them, and never answers. */
async function withSilentServer(
  body: (port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const readers: Promise<void>[] = [];
  const swallow = async (conn: Deno.Conn) => {
    const buffer = new Uint8Array(16 * 1024);
    try {
      while (await conn.read(buffer) !== null) {
        // Read and drop: no reply, ever.
      }
    } catch {
      // The benchmark closed its side.
    } finally {
      conn.close();
    }
  };
  const accepting = (async () => {
    try {
      for await (const conn of listener) readers.push(swallow(conn));
    } catch {
      // Closed below.
    }
  })();
  try {
    await body(listener.addr.port);
  } finally {
    listener.close();
    await accepting;
    await Promise.all(readers);
  }
}

const MAX_QUEUED_CONNECTIONS = 5000;

/**
 * Runs a listener that never accepts and whose queue of connections waiting
 * to be accepted is full, so the kernel drops new handshakes and a connect
 * hangs until it is aborted. The queue is filled here by connecting until a
 * connect does not complete (on loopback they take well under a millisecond).
 */
async function withFullListener(
  body: (port: number) => Promise<void>,
): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  const queued: Deno.Conn[] = [];
  try {
    while (queued.length < MAX_QUEUED_CONNECTIONS) {
      const signal = AbortSignal.timeout(200);
      const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal })
        .catch(() => undefined);
      if (conn === undefined) break;
      queued.push(conn);
    }
    ok(queued.length < MAX_QUEUED_CONNECTIONS, "the queue never filled");
    await body(port);
  } finally {
    for (const conn of queued) conn.close();
    listener.close();
  }
}

Deno.test("runBench() with requests counts exactly that many replies", async () => {
  await withMinimalServer(async (port) => {
    const result = await runBench(
      options(port, { requests: 1000, connections: 4, pipeline: 8 }),
    );
    equal(result.replies, 1000);
    equal(result.latency.count, 1000);
    equal(result.errorReplies, 0);
    equal(result.timeouts, 0);
    equal(result.connectionErrors, 0);
    equal(result.stoppedEarly, undefined);
    ok(result.achievedRate > 0);
  });
});

Deno.test("runBench() with a duration stops by itself and skips the warm-up", async () => {
  await withMinimalServer(async (port) => {
    const started = performance.now();
    const result = await runBench(
      options(port, { durationMs: 300, warmupMs: 200 }),
    );
    const elapsed = performance.now() - started;
    ok(elapsed >= 500 && elapsed < 3000, `took ${elapsed} ms`);
    ok(Math.abs(result.measuredMs - 300) < 100, `${result.measuredMs} ms`);
    ok(Math.abs(result.warmupMs - 200) < 100, `${result.warmupMs} ms`);
    ok(result.replies > 0);
    equal(result.latency.count, result.replies);
  });
});

Deno.test("runBench() counts replies starting with ERR as error replies", async () => {
  await withLineServer(
    (line) => line === "1/0" ? "ERR ZeroDivisionError: division by zero" : "2",
    async (port) => {
      const result = await runBench(options(port, {
        requests: 400,
        connections: 1,
        expressions: ["1+1", "1/0"],
      }));
      equal(result.replies, 400);
      equal(result.errorReplies, 200);
    },
  );
});

Deno.test("runBench() tells error replies split across reads", async () => {
  await withLineServer(
    (line) =>
      line === "1/0" ? "ERR ZeroDivisionError: division by zero" : "ERROR?",
    async (port) => {
      const result = await runBench(options(port, {
        requests: 20,
        connections: 1,
        pipeline: 1,
        expressions: ["1/0", "x"],
      }));
      equal(result.replies, 20);
      equal(result.errorReplies, 10);
    },
    true,
  );
});

Deno.test("runBench() at a fixed rate times requests from when they were due", async () => {
  const stallMs = 200;
  await withLineServer(
    async (_line, index) => {
      if (index === 100) {
        await new Promise((resolve) => setTimeout(resolve, stallMs));
      }
      return "0";
    },
    async (port) => {
      const result = await runBench(options(port, {
        durationMs: 1000,
        rate: 500,
        connections: 1,
        pipeline: 1,
      }));
      // About 100 requests fell due during the stall; each waited for it.
      ok(
        result.latency.max >= (stallMs - 10) * 1000,
        `max ${result.latency.max} µs`,
      );
      const p99 = result.latency.percentile(99);
      ok(p99 >= 100_000, `p99 ${p99} µs hides the stall`);
      equal(result.offeredRate, 500);
      ok(result.sendLag !== undefined && result.sendLag.count > 0);
    },
  );
});

Deno.test("runBench() rejects with ConnectError when nothing listens", async () => {
  const port = freePort();
  await rejects(
    runBench(options(port, { durationMs: 500 })),
    (error: unknown) =>
      error instanceof ConnectError && /connection refused/.test(error.message),
  );
});

Deno.test("runBench() stops early when the server goes away", async () => {
  await withLineServer(
    (_line, index) => {
      if (index === 50) throw new Error("server stops");
      return "0";
    },
    async (port) => {
      const result = await runBench(
        options(port, { durationMs: 5000, connections: 1, pipeline: 1 }),
      );
      equal(result.connectionErrors, 1);
      ok(result.stoppedEarly?.startsWith("every connection failed"));
      ok(result.measuredMs < 4000);
    },
  );
});

Deno.test("runBench() over UDP counts one reply per datagram", async () => {
  const socket = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port: 0,
    transport: "udp",
  });
  const reply = encoder.encode("0\n");
  const echoing = (async () => {
    try {
      for await (const [, from] of socket) await socket.send(reply, from);
    } catch {
      // Closed below.
    }
  })();
  try {
    const port = (socket.addr as Deno.NetAddr).port;
    const result = await runBench(
      options(port, { requests: 200, connections: 2, pipeline: 4, udp: true }),
    );
    equal(result.replies, 200);
    equal(result.transport, "udp");
  } finally {
    socket.close();
    await echoing;
  }
});

Deno.test("runBench() over UDP never takes a late reply for the answer to a later request", async () => {
  // The fourth datagram is answered with an error, and only after its
  // timeout; every other one after 10 ms, so that a request is in flight
  // when the late reply comes. A late reply taken for the next
  // request's would count as an error reply and shift every later match.
  const socket = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port: 0,
    transport: "udp",
  });
  let index = 0;
  const late: Promise<void>[] = [];
  const answering = (async () => {
    try {
      for await (const [, from] of socket) {
        if (index++ === 3) {
          late.push(
            new Promise((resolve) => setTimeout(resolve, 250)).then(() =>
              socket.send(encoder.encode("ERR Late: too late\n"), from)
            ).then(() => {}, () => {}),
          );
        } else {
          await new Promise((resolve) => setTimeout(resolve, 10));
          await socket.send(encoder.encode("0\n"), from);
        }
      }
    } catch {
      // Closed below.
    }
  })();
  try {
    const port = (socket.addr as Deno.NetAddr).port;
    const result = await runBench(
      options(port, {
        requests: 40,
        connections: 1,
        pipeline: 1,
        udp: true,
        timeoutMs: 100,
      }),
    );
    equal(result.timeouts, 1);
    equal(result.errorReplies, 0);
    equal(result.replies, 39);
  } finally {
    await Promise.all(late);
    socket.close();
    await answering;
  }
});

Deno.test("runBench() over UDP gives up when no reply ever comes", async () => {
  const port = freePort();
  await rejects(
    runBench(options(port, { durationMs: 5000, udp: true, timeoutMs: 300 })),
    (error: unknown) =>
      error instanceof ConnectError && /No reply/.test(error.message),
  );
});

Deno.test("sockcalc bench exits 3 with a plain message when refused", async () => {
  const port = freePort();
  const { code, stdout, stderr } = await runBenchCli([
    `127.0.0.1:${port}`,
    "-d",
    "1s",
  ]);
  equal(code, 3);
  equal(stdout, "");
  equal(
    stderr.trim(),
    `sockcalc bench: Cannot connect to 127.0.0.1:${port}: connection refused: is the server running?`,
  );
});

Deno.test("sockcalc bench exits 2 on bad usage, naming the option", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--conns", "0"], /--conns/],
    [["--bogus"], /Unknown option --bogus/],
    [["-d", "1s", "-n", "5"], /--duration or --requests/],
    [["--rate", "fast"], /--rate/],
    [["--pipeline", "1000000"], /--pipeline/],
    [["--duration", "0s"], /--duration/],
    [["--exprs", "/nonexistent/exprs.txt"], /no such file/],
    [["a:b:c"], /HOST:PORT/],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), async () => {
      const { code, stderr } = await runBenchCli(args);
      equal(code, 2);
      ok(message.test(stderr), stderr);
    });
  }
});

Deno.test("sockcalc bench --json prints one object with every figure", async () => {
  await withMinimalServer(async (port) => {
    const { code, stdout } = await runBenchCli([
      `127.0.0.1:${port}`,
      "--json",
      "-n",
      "500",
      "-c",
      "2",
      "-w",
      "0",
    ]);
    equal(code, 0);
    const report = JSON.parse(stdout);
    deepEqual(Object.keys(report).sort(), [
      "achievedRate",
      "connectionErrors",
      "connections",
      "errorReplies",
      "firstError",
      "histogram",
      "latencyMs",
      "measuredSeconds",
      "offeredRate",
      "pipeline",
      "replies",
      "sendLagMs",
      "stoppedEarly",
      "target",
      "timeouts",
      "transport",
      "warmupSeconds",
    ]);
    deepEqual(Object.keys(report.latencyMs), [
      "min",
      "p50",
      "p90",
      "p99",
      "p99.9",
      "max",
      "mean",
    ]);
    equal(report.replies, 500);
    equal(report.connections, 2);
    equal(report.target, `127.0.0.1:${port}`);
    ok(report.latencyMs.min <= report.latencyMs.p50);
    ok(report.latencyMs.p50 <= report.latencyMs.max);
    equal(
      report.histogram.reduce(
        (sum: number, bin: { count: number }) => sum + bin.count,
        0,
      ),
      500,
    );
  });
});

Deno.test("sockcalc bench --exprs FILE sends the file's expressions, with the client's own permissions", async () => {
  await using server = startServer();
  const file = await Deno.makeTempFile({ suffix: ".txt" });
  try {
    await Deno.writeTextFile(file, "1/0\n\n1 // 0\n");
    const { code, stdout, stderr } = await runProgram("client.ts", [
      "bench",
      `127.0.0.1:${server.port}`,
      "--exprs",
      file,
      "--json",
      "-n",
      "100",
      "-c",
      "2",
      "-w",
      "0",
    ]);
    equal(code, 0, stderr);
    const report = JSON.parse(stdout);
    equal(report.replies, 100);
    // Only the file's expressions were sent: every one divides by zero.
    equal(report.errorReplies, 100);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("sockcalc bench prints a text report with a histogram", async () => {
  await withMinimalServer(async (port) => {
    const { code, stdout } = await runBenchCli([
      `127.0.0.1:${port}`,
      "-n",
      "300",
      "-w",
      "0",
    ]);
    equal(code, 0);
    ok(stdout.startsWith(`sockcalc bench: 127.0.0.1:${port} over TCP\n`));
    ok(/replies +300\n/.test(stdout), stdout);
    ok(/latency \(ms\) +min +p50 +p90 +p99 +p99\.9 +max +mean/.test(stdout));
    ok(/latency histogram \(ms\)\n.*\| #/.test(stdout), stdout);
  });
});

Deno.test("sockcalc bench counts a connection turned away by a full server as a connection error, not a reply", async () => {
  await using server = startServer({ maxConnections: 5 });
  const { code, stdout, stderr } = await runBenchCli([
    `127.0.0.1:${server.port}`,
    "-c",
    "8",
    "-n",
    "8",
    "-w",
    "0",
    "--json",
  ]);
  equal(code, 3, stderr);
  const report = JSON.parse(stdout);
  equal(report.connectionErrors, 3);
  ok(
    report.firstError.startsWith(
      "turned away: the server is serving its limit of 5 connections",
    ),
    report.firstError,
  );
  // The turn-away lines answered no request: only the 5 served connections replied.
  equal(report.replies, 5);
  equal(report.errorReplies, 0);
  const histogramCount = report.histogram.reduce(
    (sum: number, bin: { count: number }) => sum + bin.count,
    0,
  );
  equal(histogramCount, 5);
});

Deno.test("runBench() tells a turn-away line split across reads from a reply", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  // Turns every connection away, the line in two pieces, as a slow network may.
  const turningAway = (async () => {
    for await (const conn of listener) {
      await send(conn, "ERR TooMany");
      await new Promise((resolve) => setTimeout(resolve, 20));
      await send(conn, "Connections: the server is full\n");
      conn.close();
    }
  })().catch(() => {});
  try {
    const result = await runBench(
      options(listener.addr.port, { durationMs: 5000, connections: 1 }),
    );
    equal(result.connectionErrors, 1);
    equal(result.firstError, "turned away: the server is full");
    equal(result.replies, 0);
    equal(result.latency.count, 0);
  } finally {
    listener.close();
    await turningAway;
  }
});

Deno.test("sockcalc bench reports a TCP server that never answers as timed out, exit 3", async () => {
  await withSilentServer(async (port) => {
    const { code, stdout, stderr } = await runBenchCli([
      `127.0.0.1:${port}`,
      "-n",
      "100",
      "-w",
      "0",
      "-c",
      "2",
      "-t",
      "1s",
      "--json",
    ]);
    equal(code, 3, stderr);
    const report = JSON.parse(stdout);
    equal(report.firstError, "timed out: no reply within 1 s");
    equal(
      report.stoppedEarly,
      "every connection failed: timed out: no reply within 1 s",
    );
    equal(report.connectionErrors, 2);
    equal(report.timeouts, 2);
    equal(report.replies, 0);
  });
});

Deno.test({
  name:
    "sockcalc bench --udp with more sockets than the open-file limit exits 3 with one plain line",
  ignore: Deno.build.os === "windows", // No ulimit there.
  fn: async () => {
    const { code, stdout, stderr } = await runBenchCliWithFileLimit(128, [
      "--udp",
      "-c",
      "400",
      "-d",
      "1s",
      `127.0.0.1:${freePort()}`,
    ]);
    equal(code, 3, stderr);
    equal(stdout, "");
    equal(stderr.trim().split("\n").length, 1, stderr);
    ok(
      stderr.startsWith(
        "sockcalc bench: Cannot open 400 UDP sockets: Too many open files",
      ),
      stderr,
    );
    ok(/ulimit -n/.test(stderr), stderr);
  },
});

Deno.test("runBench() stops at once when aborted while connections are still opening", async () => {
  await withFullListener(async (port) => {
    const controller = new AbortController();
    const started = performance.now();
    const running = runBench(options(port, {
      durationMs: 5000,
      timeoutMs: 15_000,
      signal: controller.signal,
    }));
    const aborting = setTimeout(() => controller.abort(), 300);
    try {
      const result = await running;
      const elapsed = performance.now() - started;
      ok(elapsed < 5000, `took ${elapsed} ms`);
      equal(result.stoppedEarly, "interrupted");
      equal(result.connectionErrors, 0);
      equal(result.replies, 0);
    } finally {
      clearTimeout(aborting);
    }
  });
});

Deno.test("runBench() looks the host name up once, then connects to its address", async () => {
  const realConnect = Deno.connect;
  const hostnames: string[] = [];
  // Watches what each connection is given; the connections are real.
  Deno.connect = ((options: Deno.ConnectOptions) => {
    hostnames.push(options.hostname ?? "");
    return realConnect(options);
  }) as typeof Deno.connect;
  try {
    await withMinimalServer(async (port) => {
      const result = await runBench(
        options(port, { hostname: "localhost", requests: 100 }),
      );
      equal(result.replies, 100);
    });
  } finally {
    Deno.connect = realConnect;
  }
  ok(hostnames.length >= 4, `${hostnames.length} connects`);
  ok(hostnames.every(isIpAddress), hostnames.join(", "));
});

Deno.test({
  name:
    "sockcalc bench reports the earliest connect failure, not a timeout for all once the timer fired",
  ignore: Deno.build.os === "windows", // No ulimit there.
  fn: async () => {
    await withFullListener(async (port) => {
      // The first connects hang on the full queue until the 1 s timeout; the
      // rest fail at once because the open files run out.
      const { code, stdout, stderr } = await runBenchCliWithFileLimit(128, [
        "-c",
        "400",
        "-d",
        "1s",
        "-t",
        "1s",
        `127.0.0.1:${port}`,
      ]);
      equal(code, 3, stderr);
      equal(stdout, "");
      ok(
        stderr.startsWith(
          `sockcalc bench: Cannot connect to 127.0.0.1:${port}: Too many open files`,
        ),
        stderr,
      );
    });
  },
});

Deno.test("sockcalc bench exits 130 on SIGINT, after printing what it measured", async () => {
  let firstRequest: () => void = () => {};
  const requestArrived = new Promise<void>((resolve) => firstRequest = resolve);
  await withLineServer(
    () => {
      firstRequest();
      return "0";
    },
    async (port) => {
      const child = benchCliCommand([
        `127.0.0.1:${port}`,
        "-d",
        "60s",
        "-c",
        "2",
        "--json",
      ]).spawn();
      // A request shows that the bench is running, its SIGINT handler set.
      await requestArrived;
      child.kill("SIGINT");
      const { code, stdout, stderr } = textOf(await child.output());
      equal(code, 130, stderr);
      equal(JSON.parse(stdout).stoppedEarly, "interrupted");
    },
  );
});

Deno.test("sockcalc bench --help lists the exit statuses, 130 included", async () => {
  const { code, stdout } = await runBenchCli(["--help"]);
  equal(code, 0);
  ok(/^Exit status:$/m.test(stdout), stdout);
  for (const status of ["0", "2", "3", "130"]) {
    ok(new RegExp(`^  ${status} +\\S`, "m").test(stdout), `status ${status}`);
  }
  ok(/130 +interrupted/.test(stdout), stdout);
});
