import { deepEqual, equal, throws } from "node:assert/strict";
import { evaluateToReply } from "../lib/evaluate.ts";
import { PyException } from "../lib/py_value.ts";
import { tokenize, TokenKind } from "../lib/tokenizer.ts";

/** Replies identical to CPython 3.11.7's, captured from python3. */
const TOKENIZER_AS_CPYTHON: [string, string][] = [
  ["0", "0"],
  ["7", "7"],
  ["00", "0"],
  ["000", "0"],
  ["0_0", "0"],
  ["1_000", "1000"],
  ["0x1F", "31"],
  ["0X_ff", "255"],
  ["0o17", "15"],
  ["0O1_7", "15"],
  ["0b101", "5"],
  ["0B1_0", "2"],
  ["123456789012345678901234567890", "123456789012345678901234567890"],
  ["1.5", "1.5"],
  [".5", "0.5"],
  ["1.", "1.0"],
  ["1e10", "10000000000.0"],
  ["1E-3", "0.001"],
  ["1_000.5", "1000.5"],
  ["1e1_0", "10000000000.0"],
  ["1.0_1", "1.01"],
  ["01.5", "1.5"],
  ["09.5", "9.5"],
  ["012e1", "120.0"],
  ["0e5", "0.0"],
  ["1e308", "1e+308"],
  ["1e309", "inf"],
  ["1e-400", "0.0"],
  ["4.9e-324", "5e-324"],
  ["1_0.0_1e1_0", "100100000000.0"],
  [
    "0123",
    "ERR SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)",
  ],
  [
    "09",
    "ERR SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)",
  ],
  [
    "0_1",
    "ERR SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)",
  ],
  [
    "00_1",
    "ERR SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)",
  ],
  ["1__0", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1_", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1_e5", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1e_1", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1e", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1e+", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1.e", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1._5", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1_.5", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1.5_", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["1e5_", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  ["12abc", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  [
    "1.__class__",
    "ERR SyntaxError: invalid decimal literal (<string>, line 1)",
  ],
  ["0x", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["0x_", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["0x__1", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["0x1g", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["0x1_g", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["0b", "ERR SyntaxError: invalid binary literal (<string>, line 1)"],
  [
    "0b2",
    "ERR SyntaxError: invalid digit '2' in binary literal (<string>, line 1)",
  ],
  [
    "0b12",
    "ERR SyntaxError: invalid digit '2' in binary literal (<string>, line 1)",
  ],
  ["0b1_", "ERR SyntaxError: invalid binary literal (<string>, line 1)"],
  ["0b1__0", "ERR SyntaxError: invalid binary literal (<string>, line 1)"],
  ["0o", "ERR SyntaxError: invalid octal literal (<string>, line 1)"],
  [
    "0o8",
    "ERR SyntaxError: invalid digit '8' in octal literal (<string>, line 1)",
  ],
  [
    "0o18",
    "ERR SyntaxError: invalid digit '8' in octal literal (<string>, line 1)",
  ],
  [
    "0o1_8",
    "ERR SyntaxError: invalid digit '8' in octal literal (<string>, line 1)",
  ],
  ["0x1j", "ERR SyntaxError: invalid hexadecimal literal (<string>, line 1)"],
  ["1jx", "ERR SyntaxError: invalid imaginary literal (<string>, line 1)"],
  ["0b101j", "ERR SyntaxError: invalid binary literal (<string>, line 1)"],
  ["1if 1 else 2", "1"],
  ["1else", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1and 2", "2"],
  ["1or 2", "1"],
  ["0xfor", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1andy", "ERR SyntaxError: invalid decimal literal (<string>, line 1)"],
  [
    "1_if 1 else 2",
    "ERR SyntaxError: invalid decimal literal (<string>, line 1)",
  ],
  ["1.5if 1 else 2", "1.5"],
  ["", "ERR SyntaxError: invalid syntax (<string>, line 0)"],
  [" ", "ERR SyntaxError: invalid syntax (<string>, line 0)"],
  ["\t", "ERR SyntaxError: invalid syntax (<string>, line 0)"],
  ["\n", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["\n\n", "ERR SyntaxError: invalid syntax (<string>, line 2)"],
  ["#c", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["#c\n", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [" 1", "1"],
  ["\t1", "1"],
  ["  \t 1", "1"],
  ["1 ", "1"],
  ["1\n", "1"],
  ["\n1", "1"],
  ["1\n\n", "1"],
  ["1\r\n", "1"],
  ["\r\n1", "1"],
  ["1\r", "1"],
  ["1 #c", "1"],
  ["\f1", "1"],
  [" \f1", "1"],
  ["\f 1", "ERR IndentationError: unexpected indent (<string>, line 1)"],
  ["1\n2", "ERR SyntaxError: invalid syntax (<string>, line 2)"],
  ["1\r2", "ERR SyntaxError: invalid syntax (<string>, line 2)"],
  ["1\n 2", "ERR IndentationError: unexpected indent (<string>, line 2)"],
  ["\n 1", "ERR IndentationError: unexpected indent (<string>, line 2)"],
  ["1\n\n 2", "ERR IndentationError: unexpected indent (<string>, line 3)"],
  ["(1\n+2)", "3"],
  ["(1\r+2)", "3"],
  ["(1,\n#c\n2)", "(1, 2)"],
  ["1 \\\n + 2", "3"],
  ["\\\n1", "1"],
  ["1\\\n", "ERR SyntaxError: unexpected EOF while parsing (<string>, line 1)"],
  [
    "1 \\",
    "ERR SyntaxError: unexpected character after line continuation character (<string>, line 1)",
  ],
  [
    "1 \\ 2",
    "ERR SyntaxError: unexpected character after line continuation character (<string>, line 1)",
  ],
  ["1 2 3 \\", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  [")", "ERR SyntaxError: unmatched ')' (<string>, line 1)"],
  ["1)", "ERR SyntaxError: unmatched ')' (<string>, line 1)"],
  ["(1", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["((1)", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["[", "ERR SyntaxError: '[' was never closed (<string>, line 1)"],
  ["{1", "ERR SyntaxError: '{' was never closed (<string>, line 1)"],
  [
    "(1]",
    "ERR SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' (<string>, line 1)",
  ],
  [
    "(]",
    "ERR SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' (<string>, line 1)",
  ],
  [
    "[)",
    "ERR SyntaxError: closing parenthesis ')' does not match opening parenthesis '[' (<string>, line 1)",
  ],
  [
    "(\n1 ]",
    "ERR SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1 (<string>, line 2)",
  ],
  ["1 2 )", "ERR SyntaxError: unmatched ')' (<string>, line 1)"],
  ["1 2 (", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["(1 2", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["(1 if 2", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  [
    "1 + (2 ]",
    "ERR SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' (<string>, line 1)",
  ],
  [
    "'abc",
    "ERR SyntaxError: unterminated string literal (detected at line 1) (<string>, line 1)",
  ],
  [
    '"""abc',
    "ERR SyntaxError: unterminated triple-quoted string literal (detected at line 1) (<string>, line 1)",
  ],
  [
    "1 2 'abc",
    "ERR SyntaxError: unterminated string literal (detected at line 1) (<string>, line 1)",
  ],
  [
    "\u20ac",
    "ERR SyntaxError: invalid character '\u20ac' (U+20AC) (<string>, line 1)",
  ],
  [
    "1 \u20ac 2",
    "ERR SyntaxError: invalid character '\u20ac' (U+20AC) (<string>, line 1)",
  ],
  [
    "\u00a0 1",
    "ERR SyntaxError: invalid non-printable character U+00A0 (<string>, line 1)",
  ],
  [
    "1\u00a02",
    "ERR SyntaxError: invalid non-printable character U+00A0 (<string>, line 1)",
  ],
  ["\uff58", "ERR NameError: name 'x' is not defined"],
  ["\u03c0", "ERR NameError: name '\u03c0' is not defined"],
  [
    "1 + \u0301",
    "ERR SyntaxError: invalid character '\u0301' (U+0301) (<string>, line 1)",
  ],
  ["$", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 $ 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["?", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["!", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["`", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 ! 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 <> 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["\u0000", "ERR SyntaxError: source code string cannot contain null bytes"],
  ["1\u0000", "ERR SyntaxError: source code string cannot contain null bytes"],
];

/** Deliberate differences from CPython (see the JSDoc of lib/evaluate.ts). */
const TOKENIZER_REFUSED: [string, string][] = [
  // CPython says "1j"
  [
    "1j",
    "ERR UnsupportedError: complex numbers are not supported by the calculator",
  ],
  // CPython says "1.5j"
  [
    "1.5J",
    "ERR UnsupportedError: complex numbers are not supported by the calculator",
  ],
  // CPython says "100000j"
  [
    "1e5j",
    "ERR UnsupportedError: complex numbers are not supported by the calculator",
  ],
  // CPython says "'a'"
  ["'a'", "ERR UnsupportedError: strings are not supported by the calculator"],
  // CPython says "b'x'"
  ["b'x'", "ERR UnsupportedError: strings are not supported by the calculator"],
  // CPython says "b'x'"
  [
    "rb'x'",
    "ERR UnsupportedError: strings are not supported by the calculator",
  ],
  // CPython says "'x'"
  ["f'x'", "ERR UnsupportedError: strings are not supported by the calculator"],
  // CPython says "'x'"
  ["u'x'", "ERR UnsupportedError: strings are not supported by the calculator"],
  // CPython says "'ab'"
  [
    "'a' 'b'",
    "ERR UnsupportedError: strings are not supported by the calculator",
  ],
];

/** Long literals, written as code; replies captured from python3. */
const LONG_LITERALS: [string, string][] = [
  ["1".repeat(4300) + " > 0", "True"],
  [
    "1".repeat(4301),
    "ERR SyntaxError: Exceeds the limit (4300 digits) for integer string " +
    "conversion: value has 4301 digits; use sys.set_int_max_str_digits() " +
    "to increase the limit - Consider hexadecimal for huge integer " +
    "literals to avoid decimal conversion limits. (<string>, line 1)",
  ],
  ["0".repeat(4400), "0"],
  ["0x" + "f".repeat(5000) + " > 0", "True"],
  ["(".repeat(200) + "1" + ")".repeat(200), "1"],
  [
    "(".repeat(201) + "1" + ")".repeat(201),
    "ERR SyntaxError: too many nested parentheses (<string>, line 1)",
  ],
  [
    "[".repeat(201),
    "ERR SyntaxError: too many nested parentheses (<string>, line 1)",
  ],
];

Deno.test("tokenize() reads literals, whitespace and brackets as CPython does", async (t) => {
  for (const [input, expected] of TOKENIZER_AS_CPYTHON) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("tokenize() lets the calculator refuse complex and string literals", async (t) => {
  for (const [input, expected] of TOKENIZER_REFUSED) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("tokenize() handles literals and nesting at CPython's limits", async (t) => {
  for (const [input, expected] of LONG_LITERALS) {
    await t.step(`${input.slice(0, 20)}... (${input.length} chars)`, () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("tokenize() records kind, line and bracket depth of each token", () => {
  const tokens = tokenize("(1 +\n 2.5) x");
  deepEqual([...tokens.kinds], [
    TokenKind.Op,
    TokenKind.Number,
    TokenKind.Op,
    TokenKind.Number,
    TokenKind.Op,
    TokenKind.Name,
    TokenKind.Newline,
    TokenKind.End,
  ]);
  deepEqual(tokens.values.slice(0, 6), ["(", 1n, "+", 2.5, ")", "x"]);
  deepEqual([...tokens.lines.slice(0, 6)], [1, 1, 1, 2, 2, 2]);
  deepEqual([...tokens.levels.slice(0, 6)], [1, 1, 1, 1, 0, 0]);
});

Deno.test("tokenize() rejects NUL bytes without a line suffix", () => {
  throws(
    () => tokenize("1\0"),
    (e: unknown) =>
      e instanceof PyException && e.pythonType === "SyntaxError" &&
      e.message === "source code string cannot contain null bytes",
  );
});
