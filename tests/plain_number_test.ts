import { equal } from "node:assert/strict";
import { codeAt, PlainNumber, readPlainNumber } from "../lib/plain_number.ts";

/** Plain literals, each with its value (as Python reads it) and its end. */
const PLAIN: [string, bigint | number, number][] = [
  ["0", 0n, 1],
  ["7+1", 7n, 1],
  ["255", 255n, 3],
  ["256", 256n, 3],
  ["123456789012345", 123456789012345n, 15],
  ["1234567890123456", 1234567890123456n, 16],
  ["12345678901234567890*2", 12345678901234567890n, 20],
  ["9".repeat(4300), 10n ** 4300n - 1n, 4300],
  ["1.5", 1.5, 3],
  ["00.5", 0.5, 4],
  ["1.", 1, 2],
  ["1e10", 1e10, 4],
  ["2.5E-3*2", 0.0025, 6],
  ["1e+5", 1e5, 4],
  ["1e400", Infinity, 5],
  ["0.1", 0.1, 3],
  ["9007199254740993.0", 9007199254740992, 18],
  ["2.2250738585072011e-308", 2.225073858507201e-308, 23],
  // Read with one exact multiplication or division, and the edges where
  // that shortcut ends; values as CPython 3.11's float() gives them.
  ["2.675", 2.675, 5],
  ["0.001", 0.001, 5],
  ["4.35", 4.35, 4],
  ["1e22", 1e+22, 4],
  ["1e23", 1e+23, 4],
  ["1e-22", 1e-22, 5],
  ["1e-23", 1e-23, 5],
  ["123456789012345e-22", 1.23456789012345e-08, 19],
  ["123456789012345.6", 123456789012345.6, 17],
  ["0.30000000000000004", 0.30000000000000004, 19],
  ["1.7976931348623157e308", 1.7976931348623157e+308, 22],
  ["5e-324", 5e-324, 6],
  ["100000000000000000000000.0", 1e+23, 26],
  ["0.000000000000000000001234", 1.234e-21, 26],
  ["12.5e-0", 12.5, 7],
  ["1e0001", 10.0, 6],
];

/** Literals left to the full scanner, which knows every rule. */
const NOT_PLAIN: string[] = [
  // Over CPython's 4300 digits, whose error the full scanner raises.
  "1".repeat(4301),
  "00",
  "01",
  "0x1f",
  "1_000",
  "1.5_0",
  "1j",
  "1.5j",
  "1if",
  "1e",
  "1else",
  "1.real",
  "1.5.",
  "1é",
];

Deno.test("readPlainNumber() reads plain decimal literals as Python does", async (t) => {
  for (const [input, value, end] of PLAIN) {
    await t.step(stepName(input), () => {
      const out = new PlainNumber();
      equal(readPlainNumber(input, 0, out), true);
      equal(out.value, value);
      equal(out.end, end);
    });
  }
});

Deno.test("codeAt() gives the character code, or -1 past the end", async (t) => {
  const cases: [number, number][] = [[0, 0x61], [1, 0x62], [2, -1], [9, -1]];
  for (const [index, expected] of cases) {
    await t.step(String(index), () => equal(codeAt("ab", index), expected));
  }
});

Deno.test("readPlainNumber() leaves other literals to scanNumber()", async (t) => {
  for (const input of NOT_PLAIN) {
    await t.step(stepName(input), () => {
      const out = new PlainNumber();
      equal(readPlainNumber(input, 0, out), false);
      equal(out.end, 0);
    });
  }
});

/** A test step's name: the input, shortened when it is long. */
function stepName(input: string): string {
  return input.length > 40
    ? `${input.slice(0, 20)}... (${input.length} characters)`
    : input;
}
