import { deepEqual, equal, notEqual, throws } from "node:assert/strict";
import fc from "fast-check";
import { fastParse } from "../lib/fast_parser.ts";
import { HandOff } from "../lib/parse_tokens.ts";
import { parse } from "../lib/parser.ts";
import { PyException } from "../lib/py_value.ts";
import type { Node } from "../lib/syntax_tree.ts";
import { tokenize, type Tokens } from "../lib/tokenizer.ts";
import {
  EXACT_EXPRESSION,
  FLOAT_EXPRESSION,
} from "./fixtures/expression_arbitraries.ts";

/** The tree of the full tokenizer and parser, the reference. */
function fullParse(source: string): Node {
  return parse(tokenize(source));
}

/** Expressions inside the fast parser's subset, one per rule and more. */
const INSIDE_SUBSET: string[] = [
  "0",
  "7",
  "123456789012345",
  "1234567890123456",
  "12345678901234567890123",
  "1.5",
  "0.25",
  "00.5",
  "1e10",
  "2.5E-3",
  "1e+5",
  "1e400",
  "0x1F",
  "0o17",
  "0b101",
  "1_000",
  ".5",
  "1.",
  "00",
  "  1 + 2",
  "1 + 2\t",
  "True + False",
  "pi",
  "1 + 2 - 3",
  "1 + 2 * 3 - 4 / 5 // 6 % 7",
  "1 | 2 ^ 3 & 4 << 5 >> 6",
  "-2 ** 2",
  "2 ** -1",
  "2 ** 3 ** 2",
  "-+~1",
  "1 < 2 <= 3 > 0 >= -1 == -1 != 2",
  "1 in (1, 2)",
  "1 not in (1, 2)",
  "1 is 1",
  "1 is not 2",
  "not 1",
  "not not 0 == 1",
  "1 and 2 or 3 and not 4",
  "1 or 2 and 3",
  "1 if 2 else 3",
  "1 if 2 else 3 if 4 else 5",
  "(1 if 2 else 3) if 4 else 5",
  "1,",
  "1, 2, 3",
  "(1, 2),",
  "()",
  "(1,)",
  "((1))",
  "math.pi",
  "math.sqrt(2)",
  "1 .real",
  "abs(-1)",
  "f()",
  "f(1, 2,)",
  "round(2.5, ndigits=0)",
  "f(a=1, b=2)",
  "f(1, a = -1)",
  "f(x == 1)",
  "max((1, 2), (3, 4))",
  "divmod(7, 2)",
  // Names that start as keywords do, or hold one, but are none.
  "iff + nott - ors * ands",
  "Nonex + Truex + Falsey",
  "continues(lambdas, yields=finally_)",
  "notin in (1,)",
  "x.andy",
  "abcdefghij",
  "F",
];

/** Inputs the fast parser must leave to the full parser. */
const OUTSIDE_SUBSET: string[] = [
  "",
  "   ",
  "(2 +",
  "1 if 2 +",
  "1 + lambda",
  "[1]",
  "{1}",
  "''",
  "'''a'''",
  "'a\\n'",
  "'abc",
  "x[1:2]",
  'r"x"',
  "1j",
  "1.5j",
  "1if 1 else 2",
  "1.real",
  "1__0",
  "01",
  "0x",
  "1e",
  "1 2",
  "x = 1",
  "x += 1",
  "x := 1",
  "(x := 1)",
  "lambda: 1",
  "None",
  "...",
  "f(*a)",
  "f(**a)",
  "f(a=1, 2)",
  "f(a=1, a=2)",
  "f(True=1)",
  "f(x for x in y)",
  "a.if",
  "a.True",
  "f(while=1)",
  "1 + pass",
  "nonlocal",
  "yield",
  "1 + not 2",
  "1 if 2",
  "1 @ 2",
  "1 -> 2",
  "1 <> 2",
  "1\n",
  "1 # comment",
  "1 + \\\n2",
  "\f1",
  "π",
  "1 + é",
  "(1",
  "1)",
  "(1]",
  "(".repeat(150) + "1" + ")".repeat(150),
  "1\0",
];

Deno.test("fastParse() builds the tree parse() builds", async (t) => {
  for (const input of INSIDE_SUBSET) {
    await t.step(JSON.stringify(input), () => {
      const tree = fastParse(input);
      notEqual(tree, undefined);
      deepEqual(tree, fullParse(input));
    });
  }
});

Deno.test("fastParse() gives up on input outside its subset", async (t) => {
  for (const input of OUTSIDE_SUBSET) {
    await t.step(JSON.stringify(input.slice(0, 40)), () => {
      equal(fastParse(input), undefined);
    });
  }
});

/**
 * Inputs over any length a person types, which the fast parser reads all
 * the same: parsing them once instead of twice keeps the worst case short.
 */
const LONG_INSIDE_SUBSET: string[] = [
  Array(2993).fill("1").join(" + "),
  "max(" + Array(5000).fill("1.5").join(", ") + ")",
  Array(5000).fill("1").join(" < "),
  Array(5000).fill("(1, 2)").join(", "),
  "max(1, " + Array.from({ length: 2000 }, (_, i) => `a${i}=1`).join(", ") +
  ")",
];

Deno.test("fastParse() builds the tree parse() builds for long inputs", async (t) => {
  for (const input of LONG_INSIDE_SUBSET) {
    await t.step(`${input.slice(0, 30)}... (${input.length} chars)`, () => {
      const tree = fastParse(input);
      notEqual(tree, undefined);
      deepEqual(tree, fullParse(input));
    });
  }
});

/**
 * Inputs in the subset nested deeper than CPython compiles; python3 3.11
 * answers RecursionError or, for some, MemoryError from its parser.
 */
const TOO_DEEP: string[] = [
  "-".repeat(3000) + "1",
  Array(2994).fill("1").join("+"),
  Array(10000).fill("2").join("**"),
  "1 if 1 else ".repeat(5000) + "1",
  "not ".repeat(5000) + "1",
  "math" + ".pi".repeat(3000),
];

Deno.test("fastParse() raises RecursionError beyond CPython's compile depth", async (t) => {
  for (const input of TOO_DEEP) {
    await t.step(`${input.slice(0, 30)}... (${input.length} chars)`, () => {
      const message = "maximum recursion depth exceeded during compilation";
      throws(
        () => fastParse(input),
        (e) =>
          e instanceof PyException && e.pythonType === "RecursionError" &&
          e.message === message,
      );
      throws(() => fullParse(input), { message });
    });
  }
});

/** Inputs that end too early; CPython 3.11.7 says `invalid syntax` to all. */
const ENDS_TOO_EARLY: string[] = [
  "2 +",
  "2 + ",
  "  -",
  "not",
  "1 not in",
  "1 is not",
  "math.",
  "2 **",
  "2 ** -",
  "a and",
  "(1) *",
  "f(a=1) <<",
  "1, 2 +",
];

Deno.test("fastParse() reports an input that ends too early", async (t) => {
  for (const input of ENDS_TOO_EARLY) {
    await t.step(JSON.stringify(input), () => {
      throws(
        () => fastParse(input),
        (e) =>
          e instanceof PyException && e.pythonType === "SyntaxError" &&
          e.message === "invalid syntax (<string>, line 1)",
      );
    });
  }
});

/** Valid Python the calculator refuses, with `parse()`'s reason. */
const UNSUPPORTED: [string, string][] = [
  ["'abc'", "strings are not supported by the calculator"],
  ["'a' \"b\" + 1", "strings are not supported by the calculator"],
  ["(1, 2)[5]", "subscripts are not supported by the calculator"],
  ["x[1, 2]['a']", "subscripts are not supported by the calculator"],
  ["f('a'[0])", "strings are not supported by the calculator"],
];

Deno.test("fastParse() refuses strings and subscripts as parse() does", async (t) => {
  for (const [input, message] of UNSUPPORTED) {
    await t.step(JSON.stringify(input), () => {
      throws(
        () => fastParse(input),
        (e) =>
          e instanceof PyException && e.pythonType === "UnsupportedError" &&
          e.message === message,
      );
      throws(() => fullParse(input), { message });
    });
  }
});

/** What `fastParse()` or `parse()` gives: a tree or the error's text. */
function outcome(parser: (source: string) => Node | undefined, input: string) {
  try {
    return parser(input);
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return `${error.pythonType}: ${error.message}`;
  }
}

Deno.test("fastParse() agrees with parse() on every prefix of an input", () => {
  const inputs = [
    ...UNSUPPORTED.map(([input]) => input),
    "max((1, 2)[0], 'a' 'b')[1] if 'c' else x[1][2].y(3)",
    ...fc.sample(EXACT_EXPRESSION, { numRuns: 300, seed: 3 }),
  ];
  for (const input of inputs) {
    for (let end = 0; end <= input.length; end++) {
      const prefix = input.slice(0, end);
      const fast = outcome(fastParse, prefix);
      if (fast !== undefined) {
        deepEqual(fast, outcome(fullParse, prefix), prefix);
      }
    }
  }
});

Deno.test("fastParse() agrees with parse() on random expressions", () => {
  const inputs = [
    ...fc.sample(EXACT_EXPRESSION, { numRuns: 4000, seed: 1 }),
    ...fc.sample(FLOAT_EXPRESSION, { numRuns: 1000, seed: 2 }),
  ];
  let parsed = 0;
  for (const input of inputs) {
    const tree = fastParse(input);
    if (tree === undefined) continue;
    parsed++;
    deepEqual(tree, fullParse(input), input);
  }
  // The generator writes mostly plain Python, which the subset covers.
  equal(parsed > inputs.length * 0.9, true, `only ${parsed} parsed`);
});

/** `tokenize()`'s tokens, or its error's text. */
function tokensOrError(tokenizer: () => Tokens): Tokens | string {
  try {
    return tokenizer();
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return `${error.pythonType}: ${error.message}`;
  }
}

/** Where a long input can give the fast parser up, and how. */
const GIVE_UP_TAILS: string[] = [
  "[1]",
  " 2",
  "$",
  "`",
  "...",
  "x...",
  "None",
  "lambda: 1",
  "{1}",
  "1j",
  "\\\n2",
  "\\ 2",
  "\n2",
  "\r\n",
  "\n  2",
  "# comment",
  "\f1",
  "'unterminated",
  '"""x"""',
  "rb'x'",
  "'a\\'b'",
  "]",
  ")",
  "(",
  "[",
  "é",
  "x\u00e9",
  "1if 1 else 2",
  "0x",
  "1__0",
  "1e",
  "a.b.c(",
  "f(a=1, 2)",
  "f(a=1, a=2)",
  "f(x for x in y)",
  "(*a)",
  "x := 1",
  "-> 1",
  "x **= 2",
  "1 +",
  "not",
  "1 if 2",
  "1 2 3 ] )",
  "(1]",
  "x[1)",
  "\0",
];

/** Open brackets around the give-up point, or none. */
const GIVE_UP_CONTEXTS: [string, string][] = [
  ["", ""],
  ["f(", ")"],
  ["(", ")"],
  ["x[", "]"],
  ["max(1, (", "))"],
  ["g(a=(", "))"],
];

Deno.test("tokenize() goes on from fastParse()'s hand-off as a fresh pass would", () => {
  // Long enough for fastParse() to keep the tokens it reads.
  const padding = "1 + ".repeat(130);
  const random = fc.sample(EXACT_EXPRESSION, { numRuns: 200, seed: 4 })
    .map((input) => input.slice(0, Math.ceil(input.length * 0.7)) + "@");
  const handOff = new HandOff();
  let handedOff = 0;
  for (const [open, close] of GIVE_UP_CONTEXTS) {
    for (const tail of [...GIVE_UP_TAILS, ...random]) {
      const input = `${open}${padding}${tail}${close}`;
      let gaveUp = false;
      try {
        gaveUp = fastParse(input, handOff) === undefined;
      } catch (error) {
        if (!(error instanceof PyException)) throw error;
      }
      const prefix = handOff.take();
      if (!gaveUp) continue;
      handedOff += prefix === undefined ? 0 : 1;
      deepEqual(
        tokensOrError(() => tokenize(input, prefix)),
        tokensOrError(() => tokenize(input)),
        JSON.stringify(input.slice(padding.length - 4)),
      );
    }
  }
  equal(handedOff > 1000, true, `only ${handedOff} inputs handed off`);
});
