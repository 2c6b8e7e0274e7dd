import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import config from "../deno.json" with { type: "json" };
import {
  binaryName,
  checkArgs,
  type Checksum,
  classifyCompileFailure,
  CLIENT,
  compileArgs,
  type CompileFailure,
  formatChecksums,
  isTarget,
  parseChecksums,
  parseTargets,
  type Program,
  PROGRAMS,
  SERVER,
  sha256Hex,
  type Target,
  TARGETS,
} from "../lib/dist_targets.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DENO = Deno.execPath();
const decoder = new TextDecoder();

Deno.test("TARGETS lists Linux, macOS on Intel and ARM, and Windows", () => {
  deepEqual(TARGETS, [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
  ]);
});

Deno.test("binaryName() adds the version and target, and .exe for Windows", async (t) => {
  const cases: [Program, Target, string][] = [
    [
      CLIENT,
      "x86_64-unknown-linux-gnu",
      "sockcalc-1.2.3-x86_64-unknown-linux-gnu",
    ],
    [CLIENT, "aarch64-apple-darwin", "sockcalc-1.2.3-aarch64-apple-darwin"],
    [
      CLIENT,
      "x86_64-pc-windows-msvc",
      "sockcalc-1.2.3-x86_64-pc-windows-msvc.exe",
    ],
    [
      SERVER,
      "aarch64-unknown-linux-gnu",
      "sockcalc-server-1.2.3-aarch64-unknown-linux-gnu",
    ],
    [
      SERVER,
      "x86_64-apple-darwin",
      "sockcalc-server-1.2.3-x86_64-apple-darwin",
    ],
    [
      SERVER,
      "x86_64-pc-windows-msvc",
      "sockcalc-server-1.2.3-x86_64-pc-windows-msvc.exe",
    ],
  ];
  for (const [program, target, expected] of cases) {
    await t.step(expected, () => {
      equal(binaryName(program, "1.2.3", target), expected);
    });
  }
});

Deno.test("binaryName() gives ten different names for this version", () => {
  const names = PROGRAMS.flatMap((program) =>
    TARGETS.map((target) => binaryName(program, config.version, target))
  );
  equal(new Set(names).size, 10);
});

Deno.test("parseTargets() reads repeated and comma-separated targets", async (t) => {
  const cases: [string[], Target[]][] = [
    [[], [...TARGETS]],
    [[""], [...TARGETS]],
    [["x86_64-apple-darwin"], ["x86_64-apple-darwin"]],
    [["x86_64-apple-darwin,aarch64-apple-darwin"], [
      "x86_64-apple-darwin",
      "aarch64-apple-darwin",
    ]],
    [["x86_64-pc-windows-msvc", "x86_64-unknown-linux-gnu"], [
      "x86_64-pc-windows-msvc",
      "x86_64-unknown-linux-gnu",
    ]],
    [[" aarch64-unknown-linux-gnu , aarch64-unknown-linux-gnu"], [
      "aarch64-unknown-linux-gnu",
    ]],
  ];
  for (const [values, expected] of cases) {
    await t.step(JSON.stringify(values), () => {
      deepEqual(parseTargets(values), expected);
    });
  }
});

Deno.test("parseTargets() rejects targets deno task dist does not build", async (t) => {
  const cases: [string[], string][] = [
    [["linux"], "linux"],
    [["x86_64-pc-windows-gnu"], "x86_64-pc-windows-gnu"],
    [["x86_64-apple-darwin,arm64-apple-darwin"], "arm64-apple-darwin"],
    [["X86_64-UNKNOWN-LINUX-GNU"], "X86_64-UNKNOWN-LINUX-GNU"],
  ];
  for (const [values, culprit] of cases) {
    await t.step(JSON.stringify(values), () => {
      throws(
        () => parseTargets(values),
        (error) =>
          error instanceof RangeError &&
          error.message.startsWith(`Unknown target "${culprit}"`),
      );
    });
  }
  equal(isTarget("linux"), false);
});

Deno.test("CLIENT may use the network, read NO_COLOR and read files, nothing else", () => {
  deepEqual(CLIENT.permissions, [
    "--allow-net",
    "--allow-env=NO_COLOR",
    "--allow-read",
  ]);
  deepEqual(CLIENT.unstable, ["--unstable-net"]);
});

Deno.test("SERVER may also list network interfaces, and uses unstable net APIs", () => {
  deepEqual(SERVER.permissions, [
    "--allow-net",
    "--allow-sys=networkInterfaces",
    "--allow-env=NO_COLOR",
  ]);
  deepEqual(SERVER.unstable, ["--unstable-net"]);
});

Deno.test("compileArgs() grants no blanket, write or process permission, and only the client reads files", async (t) => {
  const forbidden = /^(-A|--allow-all|--allow-(write|run|ffi|import))\b/;
  const serverArgs = compileArgs(SERVER, TARGETS[0], "out");
  equal(serverArgs.some((arg) => arg.startsWith("--allow-read")), false);
  for (const program of PROGRAMS) {
    await t.step(program.name, () => {
      for (const arg of compileArgs(program, TARGETS[0], "out")) {
        equal(forbidden.test(arg), false, `${program.name} has ${arg}`);
      }
    });
  }
  const clientArgs = compileArgs(CLIENT, TARGETS[0], "out");
  equal(clientArgs.some((arg) => arg.startsWith("--allow-sys")), false);
});

Deno.test("compileArgs() compiles without prompts for one target into one file", () => {
  deepEqual(compileArgs(CLIENT, "x86_64-apple-darwin", "dist/c"), [
    "compile",
    "--no-prompt",
    "--unstable-net",
    "--allow-net",
    "--allow-env=NO_COLOR",
    "--allow-read",
    "--target",
    "x86_64-apple-darwin",
    "--output",
    "dist/c",
    "client.ts",
  ]);
  deepEqual(compileArgs(SERVER, "x86_64-pc-windows-msvc", "dist/s.exe"), [
    "compile",
    "--no-prompt",
    "--unstable-net",
    "--allow-net",
    "--allow-sys=networkInterfaces",
    "--allow-env=NO_COLOR",
    "--include",
    "lib/server_worker.ts",
    "--target",
    "x86_64-pc-windows-msvc",
    "--output",
    "dist/s.exe",
    "server.ts",
  ]);
});

Deno.test("checkArgs() checks each entry point with its unstable APIs", () => {
  deepEqual(checkArgs(CLIENT), ["check", "--unstable-net", "client.ts"]);
  deepEqual(checkArgs(SERVER), ["check", "--unstable-net", "server.ts"]);
});

// Standard error of deno compile 2.9.6 with NO_COLOR=1, captured on a
// machine without internet access.
const DOWNLOAD_FAILED = `Compile hi.ts to x
Download https://dl.deno.land/release/v2.9.6/denort-aarch64-apple-darwin.zip
error: Writing deno compile executable to temporary file '/tmp/x.tmp-516513d2d42cc7f5'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-aarch64-apple-darwin.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
    2: client error (Connect)
    3: dns error
    4: failed to lookup address information: Name or service not known
`;
const RUNTIME_MISSING = `Compile hi.ts to x
error: Writing deno compile executable to temporary file '/tmp/x.tmp-8bba5eeed838f3fe'

Caused by:
    0: Could not find denort at '/nope'
    1: No such file or directory (os error 2)
`;
const RUNTIME_INVALID = `Compile hi.ts to x
error: Writing deno compile executable to temporary file '/tmp/x.tmp-a5b4fcc7f1bc6fe7'

Caused by:
    0: Writing binary bytes
    1: Invalid object: Not an ELF file
`;
const TYPE_ERROR = `Check bad.ts
TS2307 [ERROR]: Cannot find module 'file:///tmp/nope.ts'.
    at file:///tmp/bad.ts:1:8

error: Type checking failed.
`;

Deno.test("classifyCompileFailure() tells runtime problems from others", async (t) => {
  const cases: [string, string, CompileFailure][] = [
    ["no internet", DOWNLOAD_FAILED, "runtime-download"],
    ["DENORT_BIN missing", RUNTIME_MISSING, "runtime-missing"],
    ["DENORT_BIN not a runtime", RUNTIME_INVALID, "runtime-invalid"],
    ["type error", TYPE_ERROR, "other"],
    ["nothing said", "", "other"],
  ];
  for (const [name, stderr, expected] of cases) {
    await t.step(name, () => equal(classifyCompileFailure(stderr), expected));
  }
});

Deno.test("sha256Hex() gives SHA-256 digests in lower-case hex", async (t) => {
  // Expected digests from Python's hashlib.sha256.
  const cases: [string, string][] = [
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    [
      "3+8+5\n",
      "abf6ada66289b6e7296db66a210cdaafb5fdd4dd61b9fdf56263bbf9dd231ae2",
    ],
    [
      "π ≈ 3.14159\n",
      "bae9edc8092f6c14051812d68930da5734607098ac8be03ec3a0e0bd607c1dda",
    ],
  ];
  for (const [text, digest] of cases) {
    await t.step(JSON.stringify(text), async () => {
      equal(await sha256Hex(new TextEncoder().encode(text)), digest);
    });
  }
});

const DIGEST_A = "a".repeat(64);
const DIGEST_B = "0123456789abcdef".repeat(4);

Deno.test("formatChecksums() writes digest, two spaces, name, sorted by name", () => {
  const checksums: Checksum[] = [
    { digest: DIGEST_B, name: "sockcalc-server-0.1.0-x86_64-apple-darwin" },
    { digest: DIGEST_A, name: "sockcalc-0.1.0-x86_64-pc-windows-msvc.exe" },
    { digest: DIGEST_B, name: "sockcalc-0.1.0-aarch64-apple-darwin" },
  ];
  equal(
    formatChecksums(checksums),
    `${DIGEST_B}  sockcalc-0.1.0-aarch64-apple-darwin\n` +
      `${DIGEST_A}  sockcalc-0.1.0-x86_64-pc-windows-msvc.exe\n` +
      `${DIGEST_B}  sockcalc-server-0.1.0-x86_64-apple-darwin\n`,
  );
  equal(formatChecksums([]), "");
});

Deno.test("parseChecksums() reads text-mode and binary-mode lines", async (t) => {
  const cases: [string, Checksum[]][] = [
    [`${DIGEST_A}  a\n`, [{ digest: DIGEST_A, name: "a" }]],
    [`${DIGEST_A} *a.exe\n`, [{ digest: DIGEST_A, name: "a.exe" }]],
    [`${DIGEST_A}  a b\n${DIGEST_B}  c`, [
      { digest: DIGEST_A, name: "a b" },
      { digest: DIGEST_B, name: "c" },
    ]],
    ["", []],
  ];
  for (const [text, expected] of cases) {
    await t.step(JSON.stringify(text), () => {
      deepEqual(parseChecksums(text), expected);
    });
  }
});

Deno.test("parseChecksums() rejects lines that are not sha256sum's", async (t) => {
  const cases: [string, number][] = [
    [`${DIGEST_A} a\n`, 1],
    [`${DIGEST_A}\ta\n`, 1],
    [`${DIGEST_A.toUpperCase()}  a\n`, 1],
    [`${DIGEST_A.slice(1)}  a\n`, 1],
    [`${DIGEST_A}  \n`, 1],
    [`${DIGEST_A}  a\r\n`, 1],
    [`${DIGEST_A}  a\nnot a checksum\n`, 2],
  ];
  for (const [text, line] of cases) {
    await t.step(JSON.stringify(text), () => {
      throws(
        () => parseChecksums(text),
        (error) =>
          error instanceof SyntaxError &&
          error.message.startsWith(`Cannot read checksum line ${line}:`),
      );
    });
  }
});

async function hasCommand(name: string, args: string[]): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(name, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

const hasSha256sum = await hasCommand("sha256sum", ["--version"]);
if (!hasSha256sum) {
  console.log(
    "sha256sum is not installed: the SHA256SUMS files are checked with parseChecksums() instead",
  );
}

/** Checks files against a checksum list, as a classmate would. */
async function verifyChecksums(dir: string, list: string): Promise<boolean> {
  if (hasSha256sum) {
    const { success } = await new Deno.Command("sha256sum", {
      args: ["--check", "--strict", list],
      cwd: dir,
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  }
  const text = await Deno.readTextFile(join(dir, list));
  for (const { digest, name } of parseChecksums(text)) {
    const bytes = await Deno.readFile(join(dir, name));
    if (await sha256Hex(bytes) !== digest) return false;
  }
  return true;
}

Deno.test("formatChecksums() writes a file that sha256sum --check accepts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sockcalc_sums_" });
  try {
    const files: [string, string][] = [
      ["sockcalc-0.1.0-x86_64-unknown-linux-gnu", "3+8+5\n"],
      ["sockcalc-0.1.0-x86_64-pc-windows-msvc.exe", "1/0\r\n"],
    ];
    const checksums: Checksum[] = [];
    for (const [name, text] of files) {
      const bytes = new TextEncoder().encode(text);
      await Deno.writeFile(join(dir, name), bytes);
      checksums.push({ digest: await sha256Hex(bytes), name });
    }
    await Deno.writeTextFile(
      join(dir, "SHA256SUMS"),
      formatChecksums(checksums),
    );
    equal(await verifyChecksums(dir, "SHA256SUMS"), true);

    await Deno.writeTextFile(join(dir, files[0][0]), "3+8+6\n");
    equal(await verifyChecksums(dir, "SHA256SUMS"), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno check accepts both entry points as deno compile checks them", async (t) => {
  for (const program of PROGRAMS) {
    await t.step(program.entry, async () => {
      const { success, stderr } = await new Deno.Command(DENO, {
        args: checkArgs(program),
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdout: "null",
      }).output();
      ok(success, decoder.decode(stderr));
    });
  }
});

/** The command that runs a program as the compiled binary would. */
function denoRun(program: Program): string[] {
  return [
    DENO,
    "run",
    "--no-prompt",
    ...program.unstable,
    ...program.permissions,
    join(ROOT, program.entry),
  ];
}

Deno.test("--version prints the version from deno.json", async (t) => {
  const cases: [Program, string][] = [
    [CLIENT, `sockcalc ${config.version}\n`],
    [SERVER, `sockcalc-server ${config.version}\n`],
  ];
  for (const [program, expected] of cases) {
    await t.step(program.name, async () => {
      const [command, ...args] = denoRun(program);
      const { code, stdout, stderr } = await new Deno.Command(command, {
        args: [...args, "--version"],
        stdin: "null",
      }).output();
      equal(decoder.decode(stdout), expected, decoder.decode(stderr));
      equal(code, 0);
    });
  }
});

/** Reads the server's log until it says its port, then keeps draining it. */
async function readListeningPort(
  lines: ReadableStream<string>,
): Promise<{ port: number; rest: Promise<string> }> {
  const reader = lines.getReader();
  let log = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`The server stopped before listening:\n${log}`);
    log += value;
    const found = /listening on (?:\w+ )?127\.0\.0\.1:(\d+)/.exec(log);
    if (found) {
      const rest = (async () => {
        for (let r = await reader.read(); !r.done; r = await reader.read()) {
          log += r.value;
        }
        return log;
      })();
      return { port: Number(found[1]), rest };
    }
  }
}

/** Asks the server two questions with the client and checks the replies. */
async function askTwoQuestions(client: string[], port: number): Promise<void> {
  const [command, ...args] = client;
  const reply = await new Deno.Command(command, {
    args: [...args, "--no-color", `127.0.0.1:${port}`, "3+8+5", "1/0"],
    stdin: "null",
  }).output();
  equal(
    decoder.decode(reply.stdout),
    "16\nERR ZeroDivisionError: division by zero\n",
    decoder.decode(reply.stderr),
  );
  equal(reply.code, 1, "an error reply makes the client exit with 1");
}

/**
 * Starts a server, asks it two questions with the client, and stops it with
 * SIGTERM: each program is given as the command that runs it.
 */
async function serveAndAsk(server: string[], client: string[]): Promise<void> {
  const [command, ...args] = server;
  const child = new Deno.Command(command, {
    args: [...args, "--host", "127.0.0.1", "--port", "0", "--no-color"],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log: Promise<string> | undefined;
  let status: Deno.CommandStatus;
  try {
    const listening = await readListeningPort(
      child.stderr.pipeThrough(new TextDecoderStream()),
    );
    log = listening.rest;
    await askTwoQuestions(client, listening.port);
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // It has already exited; its status says how.
    }
    status = await child.status;
    await log;
  }
  equal(
    status.code,
    0,
    `SIGTERM should stop the server cleanly:\n${await log}`,
  );
}

Deno.test("the programs serve and answer with only their compiled permissions", async () => {
  await serveAndAsk(denoRun(SERVER), denoRun(CLIENT));
});

/**
 * Whether `deno compile` can build for this machine without downloading:
 * DENORT_BIN names a runtime on disk, or Deno's cache holds one for this
 * version and platform (`$DENO_DIR/dl/release/v<version>/denort-<target>.zip`).
 */
async function findRuntime(): Promise<{ found: boolean; why: string }> {
  if (!isTarget(Deno.build.target)) {
    return { found: false, why: `${Deno.build.target} is not a dist target` };
  }
  const bin = Deno.env.get("DENORT_BIN");
  if (bin !== undefined) {
    const exists = await Deno.stat(bin).then(() => true, () => false);
    return {
      found: exists,
      why: `DENORT_BIN points at ${bin}, which does not exist`,
    };
  }
  const info = await new Deno.Command(DENO, {
    args: ["info", "--json"],
    stderr: "null",
  }).output();
  const { denoDir } = JSON.parse(decoder.decode(info.stdout));
  const cached = join(
    denoDir,
    "dl",
    "release",
    `v${Deno.version.deno}`,
    `denort-${Deno.build.target}.zip`,
  );
  const exists = await Deno.stat(cached).then(() => true, () => false);
  return {
    found: exists,
    why:
      `no Deno runtime to compile with: DENORT_BIN is not set, and ${cached} ` +
      "is not in Deno's cache (deno compile downloads it once with internet access)",
  };
}

const runtime = await findRuntime();
if (!runtime.found) {
  console.log(`Skipping the compiled end-to-end test: ${runtime.why}`);
}

Deno.test({
  name: "deno task dist builds binaries that serve and answer end to end",
  ignore: !runtime.found,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "sockcalc_dist_" });
    try {
      const target = Deno.build.target as Target;
      const build = await new Deno.Command("deno", {
        args: [
          "run",
          "--allow-read",
          `--allow-write=${dir}`,
          "--allow-run=deno",
          "--allow-env=DENORT_BIN,NO_COLOR",
          join(ROOT, "scripts", "dist.ts"),
          "--target",
          target,
          "--out",
          dir,
        ],
        stdin: "null",
      }).output();
      const output = decoder.decode(build.stdout);
      ok(build.success, decoder.decode(build.stderr));
      match(output, /SHA256SUMS/);
      equal(await verifyChecksums(dir, "SHA256SUMS"), true);

      const [server, client] = [SERVER, CLIENT].map((program) =>
        join(dir, binaryName(program, config.version, target))
      );
      await serveAndAsk([server], [client]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("deno task build compiles each program with the flags deno task dist uses", () => {
  const build = (config.tasks.build as { command: string }).command;
  for (const program of PROGRAMS) {
    const flags = [
      ...program.unstable,
      ...program.permissions,
      ...program.include.flatMap((p) => ["--include", p]),
    ];
    const compile = build.split("&&").map((part) => part.trim()).find((part) =>
      part.endsWith(` ${program.entry}`)
    );
    equal(typeof compile, "string", `build compiles ${program.entry}`);
    const buildFlags = compile!.split(/\s+/).filter((word, i, words) =>
      word.startsWith("--unstable") || word.startsWith("--allow") ||
      word === "--include" ||
      words[i - 1] === "--include"
    );
    deepEqual(buildFlags, flags, program.name);
  }
});
