/**
 * `deno task dist`: compiles sockcalc and sockcalc-server for every target
 * into `dist/`, with the version and target in each file name, then writes
 * `dist/SHA256SUMS`. Exit status: 0 built, 1 a build failed, 2 bad usage.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { EXIT_USAGE, toUsageError, UsageError, VERSION } from "../lib/cli.ts";
import {
  binaryName,
  type Checksum,
  CHECKSUM_FILE,
  classifyCompileFailure,
  compileArgs,
  formatChecksums,
  parseTargets,
  type Program,
  PROGRAMS,
  sha256Hex,
  type Target,
  TARGETS,
} from "../lib/dist_targets.ts";
import {
  type Painter,
  painter,
  shouldColor,
  writeLine,
} from "../lib/output.ts";

const USAGE = `dist: compile sockcalc ${VERSION} for every platform

Usage: deno task dist [options]

Options:
  --target TARGET   build only this target; repeat it or separate with commas
                    (default all: ${TARGETS.join(", ")})
  --out DIR         where the programs and ${CHECKSUM_FILE} go (default dist)
  --help            show this help

deno compile downloads its runtime (denort) for each target once per Deno
version. Without internet access, set DENORT_BIN to a runtime on disk and
build that runtime's target alone with --target.`;

const OPTIONS = {
  target: { type: "string", short: "t", multiple: true },
  out: { type: "string", short: "o", default: "dist" },
  help: { type: "boolean", short: "h", default: false },
} as const;

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Plan {
  targets: Target[];
  out: string;
}

/** Something that stopped the build, already explained in one line. */
class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuildError";
  }
}

function parseCommand(args: string[]): Plan | "help" {
  const { values } = parseArgs({ args, options: OPTIONS, strict: true });
  if (values.help) return "help";
  let targets: Target[];
  try {
    targets = parseTargets(values.target ?? []);
  } catch (error) {
    throw new UsageError(`Invalid --target: ${(error as Error).message}`);
  }
  if (readEnv("DENORT_BIN") !== undefined && targets.length !== 1) {
    // deno compile uses DENORT_BIN for every target, whatever --target says.
    throw new UsageError(
      "DENORT_BIN names one runtime, so it can build one target at a time: " +
        "add --target with the target that runtime was made for",
    );
  }
  return { targets, out: values.out };
}

function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Explains why `deno compile` failed, in one line. */
function explainCompileFailure(
  program: Program,
  target: Target,
  stderr: string,
): string {
  const what = `Cannot build ${program.name} for ${target}`;
  const runtime = readEnv("DENORT_BIN");
  switch (classifyCompileFailure(stderr)) {
    case "runtime-download":
      return `${what}: deno compile could not download its runtime (denort) ` +
        "from dl.deno.land; set DENORT_BIN to a runtime already on disk " +
        "and build that one target with --target (see docs/distribution.md)";
    case "runtime-missing":
      return `${what}: DENORT_BIN points at "${runtime}", which does not exist`;
    case "runtime-invalid":
      return `${what}: DENORT_BIN points at "${runtime}", which is not a ` +
        `runtime for ${target}`;
    case "other":
      return `${what}: deno compile failed, as reported above`;
  }
}

async function compile(
  program: Program,
  target: Target,
  output: string,
): Promise<void> {
  // "deno" from PATH rather than Deno.execPath(), so that --allow-run=deno
  // covers it even where deno is installed behind a symbolic link.
  const command = new Deno.Command("deno", {
    args: compileArgs(program, target, output),
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  });
  let result: Deno.CommandOutput;
  try {
    result = await command.output();
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    throw new BuildError(
      "Cannot run deno compile: the script needs --allow-run=deno",
    );
  }
  const { success, stderr } = result;
  if (success) return;
  const report = new TextDecoder().decode(stderr);
  const reason = classifyCompileFailure(report);
  if (reason === "other") Deno.stderr.writeSync(stderr);
  throw new BuildError(explainCompileFailure(program, target, report));
}

/** Checksums every binary of this version in `dir`, from any build. */
async function checksumBinaries(dir: string): Promise<Checksum[]> {
  const names = new Set(
    PROGRAMS.flatMap((program) =>
      TARGETS.map((target) => binaryName(program, VERSION, target))
    ),
  );
  const checksums: Checksum[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile || !names.has(entry.name)) continue;
    const bytes = await Deno.readFile(join(dir, entry.name));
    checksums.push({ digest: await sha256Hex(bytes), name: entry.name });
  }
  return checksums;
}

async function makeOutputDir(out: string, dir: string): Promise<void> {
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotCapable)) throw error;
    throw new BuildError(
      `Cannot write to ${out}: the script may write only where ` +
        `--allow-write lets it; run it with --allow-write=${out}`,
    );
  }
}

async function build(plan: Plan, paint: Painter): Promise<void> {
  const dir = resolve(plan.out);
  await makeOutputDir(plan.out, dir);
  for (const target of plan.targets) {
    for (const program of PROGRAMS) {
      const name = binaryName(program, VERSION, target);
      await compile(program, target, join(dir, name));
      writeLine(Deno.stdout, `${paint("ok", "built")} ${join(plan.out, name)}`);
    }
  }

  const checksums = await checksumBinaries(dir);
  await Deno.writeTextFile(
    join(dir, CHECKSUM_FILE),
    formatChecksums(checksums),
  );
  writeLine(
    Deno.stdout,
    `${paint("ok", "checksums")} ${join(plan.out, CHECKSUM_FILE)}`,
  );
}

async function main(args: string[]): Promise<number> {
  let plan: Plan | "help";
  try {
    plan = parseCommand(args);
  } catch (error) {
    writeLine(Deno.stderr, `dist: ${toUsageError(error).message}`);
    writeLine(Deno.stderr, "Try 'deno task dist --help' for the options.");
    return EXIT_USAGE;
  }
  if (plan === "help") {
    console.log(USAGE);
    return 0;
  }
  try {
    await build(plan, painter(shouldColor(Deno.stdout)));
    return 0;
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    const paint = painter(shouldColor(Deno.stderr));
    writeLine(Deno.stderr, paint("error", `dist: ${error.message}`));
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
