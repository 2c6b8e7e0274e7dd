import { equal, notEqual } from "node:assert/strict";
import fc from "fast-check";
import { evaluateByTree, evaluateToReply } from "../lib/evaluate.ts";
import { fastEvaluate, GAVE_UP } from "../lib/fast_evaluator.ts";
import { repr } from "../lib/py_repr.ts";
import { PyException } from "../lib/py_value.ts";
import {
  EXACT_EXPRESSION,
  FLOAT_EXPRESSION,
} from "./fixtures/expression_arbitraries.ts";

/** An answer as text: the repr of a value, or an exception's class and message. */
function describe(answer: unknown): string {
  if (answer instanceof PyException) {
    return `${answer.pythonType}: ${answer.message}`;
  }
  return repr(answer as Parameters<typeof repr>[0]);
}

/** The long way's answer, the reference. */
function byTree(source: string): string {
  try {
    return describe(evaluateByTree(source));
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
    return describe(error);
  }
}

/** The fast evaluator's answer, or `undefined` when it gives up. */
function fast(source: string): string | undefined {
  const answer = fastEvaluate(source);
  return answer === GAVE_UP ? undefined : describe(answer);
}

/** Inputs the fast evaluator answers itself, values and errors alike. */
const ANSWERED: string[] = [
  "2 + 3 * 4",
  "-2 ** 2",
  "2 ** -1",
  "2 ** 3 ** 2",
  "7 // -2, 7 % -2, -7.5 // 2",
  "1 < 2 <= 3 > 0 >= -1 == -1 != 2",
  "1 in (1, 2), 1 not in (1, 2), 1 is not 2",
  "not not 0 == 1",
  "1 and 2 or 3 and not 4",
  "0 or () or 0.0",
  "1 if 2 else 3",
  "0 if 0 else 1 if 0 else 2",
  "(1, 2),",
  "()",
  "math.sqrt(2) + sqrt(2)",
  "round(2.5, ndigits=0)",
  "max((1, 2), (3, 4))",
  "pow(3, 4, 5), divmod(-7, 2)",
  "1 .real",
  "True + True",
  // Errors raised while evaluating, with nothing after them to read.
  "1 / 0",
  "2 ** 0.5 + 1 / 0",
  "x",
  "1 + x",
  "math.nope",
  "sqrt(-1)",
  "1 + (2, 3)",
  // Errors raised before the end: what follows is read, and is fine.
  "1 / 0 + 2",
  "(1 / 0)",
  "x + 1",
  "f(1, 2)",
  "1 / 0, 2",
  "abs(1 / 0) * 3",
  "-(1,) + 1",
  "(1,) ** 2 * 3",
  "(1,) < 1 < 1 / 0",
  "math.nope + 1",
  "sqrt(-1), 1 / 0",
  // Short-circuiting skips what CPython never evaluates.
  "0 and 1 / 0",
  "1 or 1 / 0",
  "1 < 0 < 1 / 0",
  "0 and x",
  "1 or math.nope",
  // What reading finds after an error wins over it, as CPython compiles first.
  "1 / 0 +",
  "x + 'a'",
  "1 / 0 + 'a'",
  "'a' + 1 / 0",
  "1 / 0 + (1, 2)[0]",
  "f(1) +",
  "x +",
  "(1,) < 1 <",
];

Deno.test("fastEvaluate() answers as the long way does", async (t) => {
  for (const input of ANSWERED) {
    await t.step(JSON.stringify(input), () => {
      const answer = fast(input);
      notEqual(answer, undefined, "gave up");
      equal(answer, byTree(input));
    });
  }
});

/** Inputs it must give up on, for the full parser's sake or an `if`'s. */
const GIVEN_UP: string[] = [
  "(1 / 0",
  "[1 / 0]",
  "1 / 0 if 0 else 2",
  "1 / 0 if 1 else 2",
  "1 if 1 / 0 else 2",
  "x if 0 else 1",
  "f(x=1, x=2)",
  "f(x=1, 2)",
  "1 / 0 + None",
  "'a\0' + 1 / 0",
  // More big-integer work than a trial may do.
  "factorial(25000) % 1000003",
  "3 ** 300000 % 7",
  "1 / 0 1",
  "",
];

Deno.test("fastEvaluate() gives up where the long way has the answer", async (t) => {
  for (const input of GIVEN_UP) {
    await t.step(JSON.stringify(input), () => {
      equal(fast(input), undefined);
    });
  }
});

/** Inputs whose answers depend on what is evaluated first, with CPython's. */
const CPYTHON_ORDER: [string, string][] = [
  ["1 / 0 if 0 else 2", "2"],
  ["1 if 0 else 1 / 0", "ERR ZeroDivisionError: division by zero"],
  ["x if 0 else y", "ERR NameError: name 'y' is not defined"],
  ["0 and 1 / 0", "0"],
  ["1 < 0 < 1 / 0", "False"],
  ["x + y", "ERR NameError: name 'x' is not defined"],
  ["1 / 0 +", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "'a' + 1 / 0",
    "ERR UnsupportedError: strings are not supported by the calculator",
  ],
  ["(1 / 0", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  [
    "f(x=1, x=2)",
    "ERR SyntaxError: keyword argument repeated: x (<string>, line 1)",
  ],
  // Given up for its cost, and answered the long way in full.
  ["factorial(25000) % 1000003", "986959"],
];

Deno.test("evaluateToReply() keeps CPython's order of errors", async (t) => {
  for (const [input, reply] of CPYTHON_ORDER) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), reply);
    });
  }
});

Deno.test("fastEvaluate() agrees with the long way on every prefix of an input", () => {
  const inputs = [
    "max((1, 2)[0], 'a' 'b')[1] if 'c' else x[1][2].y(3)",
    "1 / 0 + f(x, y=2) * (3 < 4 < 1 / 0) or not 0 and z",
    ...fc.sample(EXACT_EXPRESSION, { numRuns: 200, seed: 5 }),
  ];
  for (const input of inputs) {
    for (let end = 0; end <= input.length; end++) {
      const prefix = input.slice(0, end);
      const answer = fast(prefix);
      if (answer !== undefined) equal(answer, byTree(prefix), prefix);
    }
  }
});

Deno.test("fastEvaluate() agrees with the long way on random expressions", () => {
  const inputs = [
    ...fc.sample(EXACT_EXPRESSION, { numRuns: 3000, seed: 6 }),
    ...fc.sample(FLOAT_EXPRESSION, { numRuns: 1000, seed: 7 }),
  ];
  let answered = 0;
  for (const input of inputs) {
    const answer = fast(input);
    if (answer === undefined) continue;
    answered++;
    equal(answer, byTree(input), input);
  }
  // The generator writes mostly plain Python, which the subset covers.
  equal(answered > inputs.length * 0.8, true, `only ${answered} answered`);
});
