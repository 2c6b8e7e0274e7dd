import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { type BenchOptions, runBench } from "../lib/bench.ts";
import { DEFAULT_EXPRESSIONS } from "../lib/bench_expressions.ts";
import { ConnectError } from "../lib/client.ts";
import { serveMinimal } from "../scripts/minimal_server.ts";
import { runProgram, startServer } from "./helpers.ts";

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

/** Runs `sockcalc bench` (benchMain) in a subprocess. */
async function runBenchCli(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { benchMain } from "${BENCH_CLI}"; Deno.exit(await benchMain(Deno.args));`,
      ...args,
    ],
    env: { NO_COLOR: "1" },
    stdin: "null",
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
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
