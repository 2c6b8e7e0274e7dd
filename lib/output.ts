/**
 * The one place that decides how text for people looks: colour only on a
 * terminal, never under `NO_COLOR` or `--no-color`, and a small vocabulary
 * of meanings (ok, warning, error, detail).
 *
 * @module
 */

import { styleText } from "node:util";

/** What a piece of text means, which decides its colour. */
export type Tone = "ok" | "warning" | "error" | "detail" | "plain";

const STYLES: Record<Exclude<Tone, "plain">, Parameters<typeof styleText>[0]> =
  {
    ok: "green",
    warning: "yellow",
    error: "red",
    detail: "dim",
  };

/**
 * Whether output to a stream should be coloured: it is a terminal, the
 * `NO_COLOR` variable is unset or empty, and `--no-color` was not given.
 */
export function shouldColor(
  stream: { isTerminal(): boolean },
  noColorFlag = false,
  env: (name: string) => string | undefined = readEnv,
): boolean {
  if (noColorFlag) return false;
  const noColor = env("NO_COLOR");
  if (noColor !== undefined && noColor !== "") return false;
  return stream.isTerminal();
}

function readEnv(name: string): string | undefined {
  // Without --allow-env the programs still run; they just cannot see NO_COLOR.
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Paints text in its tone's colour, or leaves it plain. */
export type Painter = (tone: Tone, text: string) => string;

/** Returns a painter that colours text, or one that never does. */
export function painter(color: boolean): Painter {
  if (!color) return (_tone, text) => text;
  return (tone, text) =>
    tone === "plain"
      ? text
      : styleText(STYLES[tone], text, { validateStream: false });
}

/**
 * Writes a line of text to a stream synchronously, so lines never
 * interleave. When the reader of the stream has gone (`sockcalc ... | head
 * -1`), the program's output has nowhere to go: a write to standard output
 * ends the program quietly, and any other write, such as a server's log
 * line to a closed stderr, is dropped rather than stopping the program.
 */
export function writeLine(
  stream: { writeSync(p: Uint8Array): number },
  line: string,
): void {
  const bytes = new TextEncoder().encode(line + "\n");
  try {
    for (let written = 0; written < bytes.length;) {
      written += stream.writeSync(bytes.subarray(written));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
    if (stream === Deno.stdout) Deno.exit(0);
  }
}
