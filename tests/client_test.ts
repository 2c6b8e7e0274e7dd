import { deepEqual, equal, match, rejects } from "node:assert/strict";
import config from "../deno.json" with { type: "json" };
import { connect, explainConnectError } from "../lib/client.ts";
import {
  connectRaw,
  programArgs,
  programCommand,
  readLines,
  readOnce,
  runProgram,
  send,
  startServer,
  unusedPort,
} from "./helpers.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

Deno.test("client prints the reply to one expression and exits 0", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "3+8+5",
  ]);
  deepEqual(result, { code: 0, stdout: "16\n", stderr: "" });
});

Deno.test("client sends several expressions on one connection and prints replies in order", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "2**64",
    "7/2",
    "divmod(7, 2)",
    "1 < 2 < 3",
  ]);
  equal(result.stdout, "18446744073709551616\n3.5\n(3, 1)\nTrue\n");
  equal(result.code, 0);
  const opened = server.events.filter((event) => event.type === "open");
  equal(opened.length, 1, "one connection for all expressions");
});

Deno.test("client exits 1 when a reply is an error, and still prints every reply", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "1/0",
    "1+1",
  ]);
  deepEqual(result, {
    code: 1,
    stdout: "ERR ZeroDivisionError: division by zero\n2\n",
    stderr: "",
  });
});

Deno.test("client accepts the server as HOST:PORT", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    `127.0.0.1:${server.port}`,
    "6*7",
  ]);
  deepEqual(result, { code: 0, stdout: "42\n", stderr: "" });
});

Deno.test("client sends each line of piped input as one request, replies in order", async () => {
  await using server = startServer();
  const lines = Array.from({ length: 3_000 }, (_, i) => `${i} * 3`);
  const result = await runProgram(
    "client.ts",
    ["--port", String(server.port)],
    lines.join("\n") + "\n",
  );
  equal(result.code, 0);
  deepEqual(
    result.stdout.split("\n").slice(0, -1),
    lines.map((_, i) => String(i * 3)),
  );
});

Deno.test("client --json prints one object per result", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--json",
    "--port",
    String(server.port),
    "2+2",
    "1/0",
  ]);
  const [sum, division] = result.stdout.trim().split("\n").map((line) =>
    JSON.parse(line)
  );
  equal(typeof sum.ms, "number");
  equal(typeof division.ms, "number");
  deepEqual({ ...sum, ms: 0 }, {
    expression: "2+2",
    ok: true,
    value: "4",
    ms: 0,
  });
  deepEqual({ ...division, ms: 0 }, {
    expression: "1/0",
    ok: false,
    error: { type: "ZeroDivisionError", message: "division by zero" },
    ms: 0,
  });
  equal(result.code, 1);
});

Deno.test("client says the connection was refused in one line, and exits 3", async () => {
  const port = unusedPort();
  const result = await runProgram("client.ts", ["--port", String(port), "1+1"]);
  deepEqual(result, {
    code: 3,
    stdout: "",
    stderr:
      `sockcalc: Cannot connect to 127.0.0.1:${port}: connection refused: is the server running?\n`,
  });
});

Deno.test("client gives up on a server that never replies, after --timeout, and exits 3", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = listener.accept();
  const result = await runProgram("client.ts", [
    "--timeout",
    "300ms",
    "--port",
    String(listener.addr.port),
    "1+1",
  ]);
  (await accepting).close();
  equal(result.code, 3);
  equal(
    result.stderr,
    `sockcalc: No reply from 127.0.0.1:${listener.addr.port} within 0.3 s: ` +
      "the server is busy, stuck, or unreachable\n",
  );
});

Deno.test("client reports a connection lost before all replies, prints what came, exits 3", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const serving = (async () => {
    using conn = await listener.accept();
    await readOnce(conn);
    await send(conn, "2\n");
  })();
  const result = await runProgram("client.ts", [
    "--port",
    String(listener.addr.port),
    "1+1",
    "2+2",
  ]);
  await serving;
  equal(result.stdout, "2\n");
  equal(result.code, 3);
  equal(
    result.stderr,
    `sockcalc: Connection to 127.0.0.1:${listener.addr.port} closed by the server\n`,
  );
});

Deno.test("client with piped input reports a connection lost in one line, exits 3", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const child = programCommand(
    "client.ts",
    ["--port", String(listener.addr.port)],
    "piped",
  ).spawn();
  const input = child.stdin.getWriter();
  await input.write(encoder.encode("1+1\n2+2\n"));
  {
    using conn = await listener.accept();
    await readLines(conn, 2);
    await send(conn, "2\n");
  }
  // The input stays open, as when a student types at `cat | sockcalc`: with
  // 2+2 unanswered, the client must report the loss without waiting for more.
  const result = await child.output();
  await input.close().catch(() => {});
  equal(decoder.decode(result.stdout), "2\n");
  equal(
    decoder.decode(result.stderr),
    `sockcalc: Connection to 127.0.0.1:${listener.addr.port} closed by the server\n`,
  );
  equal(result.code, 3);
});

const scriptCommand = await findScript();
if (!scriptCommand) {
  console.log(
    "Skipping the interactive client test: it needs util-linux's `script` to give the client a terminal",
  );
}

/** util-linux's `script`, which runs a command on a pseudo-terminal, if present. */
async function findScript(): Promise<string | undefined> {
  if (Deno.build.os !== "linux") return undefined;
  try {
    const probe = await new Deno.Command("script", { args: ["--version"] })
      .output();
    return probe.success ? "script" : undefined;
  } catch {
    return undefined;
  }
}

Deno.test({
  name:
    "interactive client reports a server that goes away at once, not at the next line typed",
  ignore: !scriptCommand,
}, async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const args = programArgs("client.ts", ["--port", String(listener.addr.port)]);
  // The client on a terminal: `script` runs the command line with sh -c.
  const quoted = [Deno.execPath(), ...args].map((arg) => `'${arg}'`).join(" ");
  const child = new Deno.Command(scriptCommand!, {
    args: ["-qec", quoted, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const input = child.stdin.getWriter();
  {
    using conn = await listener.accept();
    await input.write(encoder.encode("1+1\r"));
    await readOnce(conn);
    await send(conn, "2\n");
  }
  // Nothing more is typed: the input stays open until the client has ended.
  const stopper = setTimeout(() => child.kill(), 10_000);
  const status = await child.status;
  clearTimeout(stopper);
  await input.close().catch(() => {});
  const output = decoder.decode((await child.output()).stdout);
  match(output, /\b2\r?\n/);
  match(
    output,
    new RegExp(
      `sockcalc: Connection to 127\\.0\\.0\\.1:${listener.addr.port} closed by the server`,
    ),
  );
  equal(status.code, 3);
});

Deno.test("client whose output's reader has gone ends quietly, as under | head -1", async () => {
  await using server = startServer();
  const expressions = Array.from({ length: 3000 }, (_, i) => `${i}+1`);
  const child = programCommand("client.ts", [
    "--port",
    String(server.port),
    ...expressions,
  ]).spawn();
  const reader = child.stdout.getReader();
  await reader.read();
  await reader.cancel();
  const status = await child.status;
  const stderr = decoder.decode(
    await new Response(child.stderr).arrayBuffer(),
  );
  equal(stderr, "");
  equal(status.code, 0);
});

Deno.test("client sends each line of an argument as its own expression", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "--json",
    "1+1\n2+2\r\n",
    "3+3",
  ]);
  equal(result.code, 0, result.stderr);
  deepEqual(
    result.stdout.trim().split("\n").map((line) => {
      const { expression, value } = JSON.parse(line);
      return [expression, value];
    }),
    [["1+1", "2"], ["2+2", "4"], ["3+3", "6"]],
  );
});

Deno.test("CalcConnection refuses an expression holding a line feed, and replies stay in step", async () => {
  await using server = startServer();
  await using calc = await connect({
    hostname: "127.0.0.1",
    port: server.port,
    timeoutMs: 5000,
  });
  await rejects(calc.request("1+1\n2+2"), RangeError);
  equal((await calc.request("3+3")).reply, "6");
});

Deno.test("client turned away by a full server says so in one line, exits 3", async () => {
  await using server = startServer({ maxConnections: 1 });
  using first = await connectRaw(server.port);
  await send(first, "1\n");
  await readOnce(first); // Accepted: the server is now full.
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "1+1",
  ]);
  equal(result.stdout, "");
  equal(
    result.stderr,
    `sockcalc: 127.0.0.1:${server.port} turned the connection away: ` +
      "the server is serving its limit of 1 connection; try again later\n",
  );
  equal(result.code, 3);
});

Deno.test("client rejects bad usage with exit status 2 and a hint", async (t) => {
  const cases: [string[], RegExp][] = [
    [["--port", "http"], /Invalid port for --port: "http"/],
    [["--timeout", "soon", "1"], /Invalid duration for --timeout: "soon"/],
    [["--frobnicate"], /Unknown option --frobnicate\nTry 'sockcalc --help'/],
    [["-3+1"], /An expression that starts with - goes after --/],
    [["--host", "a", "b:1", "1"], /either as b:1 or with --host\/--port/],
    [
      ["--timeout", "0", "1"],
      /Invalid duration for --timeout: "0" \(use more than 0\)/,
    ],
    [["::1:5050", "1"], /write an IPv6 address in brackets, as \[::1\]:5050/],
  ];
  for (const [args, expected] of cases) {
    await t.step(args.join(" "), async () => {
      const result = await runProgram("client.ts", args);
      equal(result.code, 2);
      equal(result.stdout, "");
      match(result.stderr, expected);
    });
  }
});

Deno.test("client sends an expression starting with - when it comes after --", async () => {
  await using server = startServer();
  const result = await runProgram("client.ts", [
    "--port",
    String(server.port),
    "--",
    "-3+1",
  ]);
  deepEqual(result, { code: 0, stdout: "-2\n", stderr: "" });
});

Deno.test("client --version prints the version from deno.json, --help the usage", async () => {
  const version = await runProgram("client.ts", ["--version"]);
  deepEqual(version, {
    code: 0,
    stdout: `sockcalc ${config.version}\n`,
    stderr: "",
  });
  const help = await runProgram("client.ts", ["--help"]);
  equal(help.code, 0);
  match(help.stdout, /^sockcalc .*\n\nUsage:/);
  for (const option of ["-p, --port", "-t, --timeout", "-h, --help"]) {
    match(help.stdout, new RegExp(`\\n  ${option} `), option);
  }
  // The short forms work as the help says.
  equal((await runProgram("client.ts", ["-V"])).stdout, version.stdout);
});

Deno.test("explainConnectError names the likely cause of each failure", async (t) => {
  const cases: [Error, string][] = [
    [
      new Deno.errors.ConnectionRefused("x"),
      "connection refused: is the server running?",
    ],
    [new Deno.errors.TimedOut("x"), "timed out: wrong address or a firewall?"],
    [
      new Deno.errors.ConnectionReset(
        "Connection reset by peer (os error 104)",
      ),
      "reset by the server right after it accepted: is it a calculator server?",
    ],
    [
      new Error(
        "failed to lookup address information: Name or service not known",
      ),
      "unknown host name: check how it is spelled, or use the server's IP address",
    ],
    [
      // node:dns, which resolves names for --trace and for UDP.
      new Error("getaddrinfo ENOTFOUND nosuchhost.invalid"),
      "unknown host name: check how it is spelled, or use the server's IP address",
    ],
    [
      new Error("Network is unreachable (os error 101)"),
      "network unreachable: is this machine on the same network as the server?",
    ],
  ];
  for (const [error, expected] of cases) {
    await t.step(
      error.message,
      () => equal(explainConnectError(error), expected),
    );
  }
});

// `script` from util-linux gives the client a terminal, as a person at a keyboard would.
const scriptPath = Deno.build.os === "linux" ? which("script") : undefined;

Deno.test({
  name:
    "client on a terminal prompts for expressions, answers lines typed ahead, and quits on exit",
  ignore: scriptPath === undefined,
}, async () => {
  await using server = startServer();
  const clientPath = new URL("../client.ts", import.meta.url).pathname;
  const command =
    `${Deno.execPath()} run --allow-net --allow-env=NO_COLOR ${clientPath} --port ${server.port}`;
  const child = new Deno.Command(scriptPath!, {
    args: ["-q", "-e", "-c", command, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("1+2\n2**8\n1/0\nexit\n"));
  await writer.close();
  const output = await child.output();
  const screen = new TextDecoder().decode(output.stdout).replaceAll("\r", "");
  equal(output.code, 1, "an error reply was shown");
  match(
    screen,
    /Connected to 127\.0\.0\.1:\d+\. Type an expression, or exit to quit\./,
  );
  match(screen, /calc> /);
  match(
    screen,
    /\n3\n[^]*calc> [^]*256\n[^]*calc> [^]*ERR ZeroDivisionError: division by zero\n/,
  );
});

function which(program: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const path = `${dir}/${program}`;
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}
