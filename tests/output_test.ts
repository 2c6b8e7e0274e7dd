import { equal } from "node:assert/strict";
import { painter, shouldColor } from "../lib/output.ts";

const terminal = { isTerminal: () => true };
const pipe = { isTerminal: () => false };
const env = (values: Record<string, string>) => (name: string) => values[name];

Deno.test("shouldColor colours a terminal only, and never under NO_COLOR or --no-color", async (t) => {
  const cases: [string, boolean, boolean, Record<string, string>, boolean][] = [
    ["terminal", true, false, {}, true],
    ["pipe", false, false, {}, false],
    ["NO_COLOR=1", true, false, { NO_COLOR: "1" }, false],
    ["empty NO_COLOR is ignored", true, false, { NO_COLOR: "" }, true],
    ["--no-color", true, true, {}, false],
  ];
  for (const [name, isTerminal, flag, values, expected] of cases) {
    await t.step(name, () => {
      equal(
        shouldColor(isTerminal ? terminal : pipe, flag, env(values)),
        expected,
      );
    });
  }
});

Deno.test("painter leaves text plain without colour, and wraps it in ANSI codes with it", () => {
  equal(painter(false)("error", "boom"), "boom");
  equal(painter(true)("error", "boom"), "\x1b[31mboom\x1b[39m");
  equal(painter(true)("plain", "calm"), "calm");
});
