/**
 * What `deno task dist` builds, as data: the targets, the two programs and
 * the permissions compiled into each, the file names, and the `SHA256SUMS`
 * format. The build script in `scripts/dist.ts` does the I/O.
 *
 * @module
 */

/** Every platform a classmate may run sockcalc on, as `deno compile` names it. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of the {@linkcode TARGETS}. */
export type Target = typeof TARGETS[number];

/** A program that `deno task dist` compiles, and what it may do once compiled. */
export interface Program {
  /** The binary's name before the version and target are added. */
  name: string;
  /** The entry point, relative to the project root. */
  entry: string;
  /** Permission flags baked into the binary; it never asks for more. */
  permissions: readonly string[];
  /** Unstable APIs the program uses, as `--unstable-*` flags. */
  unstable: readonly string[];
  /**
   * Modules the compiler cannot find by following imports, such as a Web
   * Worker's entry point, which `deno compile` leaves out unless included.
   */
  include: readonly string[];
}

/**
 * The client: it connects out to whatever server the user names, reads the
 * file of expressions `sockcalc bench --exprs FILE` names, and its `--udp`
 * mode needs Deno's unstable datagram API. It reads no other file and never
 * writes one.
 */
export const CLIENT: Program = {
  name: "sockcalc",
  entry: "client.ts",
  permissions: ["--allow-net", "--allow-env=NO_COLOR", "--allow-read"],
  unstable: ["--unstable-net"],
  include: [],
};

/**
 * The server. Its network permission stays open because it listens on the
 * address and port given at run time with --host and --port, which the
 * compile cannot know; networkInterfaces lets it print the addresses
 * classmates can use.
 */
export const SERVER: Program = {
  name: "sockcalc-server",
  entry: "server.ts",
  permissions: [
    "--allow-net",
    "--allow-sys=networkInterfaces",
    "--allow-env=NO_COLOR",
  ],
  unstable: ["--unstable-net"],
  // --workers runs extra servers in Web Workers started from this module.
  include: ["lib/server_worker.ts"],
};

/** Both programs, client first. */
export const PROGRAMS: readonly Program[] = [CLIENT, SERVER];

/** The checksum file's name in the output directory. */
export const CHECKSUM_FILE = "SHA256SUMS";

/** Tells whether `text` is one of the {@linkcode TARGETS}. */
export function isTarget(text: string): text is Target {
  return (TARGETS as readonly string[]).includes(text);
}

/**
 * Reads `--target` values, each one target or a comma-separated list, into
 * targets without repeats, in the order given; no values means all targets.
 *
 * @example
 * ```ts
 * import { parseTargets } from "./dist_targets.ts";
 * const targets = parseTargets(["x86_64-apple-darwin,aarch64-apple-darwin"]);
 * console.assert(targets.length === 2);
 * ```
 */
export function parseTargets(values: readonly string[]): Target[] {
  const names = values.flatMap((value) => value.split(","))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) return [...TARGETS];
  const targets: Target[] = [];
  for (const name of names) {
    if (!isTarget(name)) {
      throw new RangeError(
        `Unknown target "${name}" (use one of ${TARGETS.join(", ")})`,
      );
    }
    if (!targets.includes(name)) targets.push(name);
  }
  return targets;
}

/**
 * The file name of a program built for a target, such as
 * `sockcalc-0.1.0-x86_64-unknown-linux-gnu` or
 * `sockcalc-server-0.1.0-x86_64-pc-windows-msvc.exe`.
 */
export function binaryName(
  program: Program,
  version: string,
  target: Target,
): string {
  const extension = target.includes("windows") ? ".exe" : "";
  return `${program.name}-${version}-${target}${extension}`;
}

/** The arguments to `deno` that compile a program for a target into a file. */
export function compileArgs(
  program: Program,
  target: Target,
  output: string,
): string[] {
  return [
    "compile",
    "--no-prompt",
    ...program.unstable,
    ...program.permissions,
    ...program.include.flatMap((path) => ["--include", path]),
    "--target",
    target,
    "--output",
    output,
    program.entry,
  ];
}

/**
 * The arguments to `deno` that type-check a program the way `deno compile`
 * does: the same entry point, configuration file and unstable APIs.
 */
export function checkArgs(program: Program): string[] {
  return ["check", ...program.unstable, program.entry];
}

/** Why `deno compile` failed, read from its error output. */
export type CompileFailure =
  | "runtime-download"
  | "runtime-missing"
  | "runtime-invalid"
  | "other";

/**
 * Classifies a failed `deno compile` from its standard error (with colour
 * off): it could not download its runtime, `DENORT_BIN` named a file that
 * is not there or is not a runtime for the target, or something else, such
 * as a type error.
 */
export function classifyCompileFailure(stderr: string): CompileFailure {
  if (/Could not find denort at/.test(stderr)) return "runtime-missing";
  if (/Writing binary bytes[\s\S]*Invalid object/.test(stderr)) {
    return "runtime-invalid";
  }
  const fetchingRuntime = /denort-[\w-]+\.zip/.test(stderr) &&
    /error sending request|Failed downloading|dns error|Connect/i.test(stderr);
  return fetchingRuntime ? "runtime-download" : "other";
}

/** A file's SHA-256 digest, as the `sha256sum` command lists it. */
export interface Checksum {
  /** 64 lower-case hexadecimal digits. */
  digest: string;
  /** The file's name, relative to the checksum file. */
  name: string;
}

/** The SHA-256 digest of some bytes, in lower-case hexadecimal. */
export async function sha256Hex(
  bytes: Uint8Array<ArrayBuffer>,
): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0"))
    .join("");
}

/**
 * Writes checksums in the format `sha256sum` prints and `sha256sum -c`
 * reads: the digest, two spaces, the name; one line each, sorted by name.
 *
 * @example
 * ```ts
 * import { formatChecksums } from "./dist_targets.ts";
 * const text = formatChecksums([{ digest: "0".repeat(64), name: "a" }]);
 * console.assert(text === `${"0".repeat(64)}  a\n`);
 * ```
 */
export function formatChecksums(checksums: readonly Checksum[]): string {
  const sorted = [...checksums].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
  return sorted.map(({ digest, name }) => `${digest}  ${name}\n`).join("");
}

const CHECKSUM_LINE = /^([0-9a-f]{64}) [ *]([^\r\n]+)$/;

/**
 * Reads a checksum file in `sha256sum` format, in text (two spaces) or
 * binary (space and `*`) mode, which is how Windows tools may write it.
 */
export function parseChecksums(text: string): Checksum[] {
  const lines = text.split("\n").filter((line) => line !== "");
  return lines.map((line, index) => {
    const match = CHECKSUM_LINE.exec(line);
    if (!match) {
      throw new SyntaxError(
        `Cannot read checksum line ${
          index + 1
        }: "${line}" is not "<64 hex digits>  <file name>"`,
      );
    }
    return { digest: match[1], name: match[2] };
  });
}
