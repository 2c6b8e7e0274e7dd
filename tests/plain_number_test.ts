import { equal } from "node:assert/strict";
import { PlainNumber, readPlainNumber } from "../lib/plain_number.ts";

/** Plain literals, each with its value (as Python reads it) and its end. */
const PLAIN: [string, bigint | number, number][] = [
  ["0", 0n, 1],
  ["7+1", 7n, 1],
  ["255", 255n, 3],
  ["256", 256n, 3],
  ["123456789012345", 123456789012345n, 15],
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
];

/** Literals left to the full scanner, which knows every rule. */
const NOT_PLAIN: string[] = [
  "1234567890123456",
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
    await t.step(input, () => {
      const out = new PlainNumber();
      equal(readPlainNumber(input, 0, out), true);
      equal(out.value, value);
      equal(out.end, end);
    });
  }
});

Deno.test("readPlainNumber() leaves other literals to scanNumber()", async (t) => {
  for (const input of NOT_PLAIN) {
    await t.step(input, () => {
      const out = new PlainNumber();
      equal(readPlainNumber(input, 0, out), false);
      equal(out.end, 0);
    });
  }
});
