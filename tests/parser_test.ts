import { deepEqual, equal, throws } from "node:assert/strict";
import { evaluateToReply } from "../lib/evaluate.ts";
import { MAX_COMPILE_DEPTH, parse } from "../lib/parser.ts";
import { PyException } from "../lib/py_value.ts";
import { NodeKind } from "../lib/syntax_tree.ts";
import { tokenize } from "../lib/tokenizer.ts";

/** Replies identical to CPython 3.11.7's, captured from python3. */
const PARSER_AS_CPYTHON: [string, string][] = [
  ["-2**2", "-4"],
  ["2**-1", "0.5"],
  ["2**3**2", "512"],
  ["(2**3)**2", "64"],
  ["-2**-2", "-0.25"],
  ["2 ** ~1", "0.25"],
  ["--1", "1"],
  ["+-+1", "-1"],
  ["1 - - 1", "2"],
  ["- -1", "1"],
  ["not 1 == 2", "True"],
  ["not 1 + 1", "False"],
  ["not not 0", "False"],
  ["1 + 2 * 3", "7"],
  ["(1 + 2) * 3", "9"],
  ["10 - 2 - 3", "5"],
  ["100 / 10 / 5", "2.0"],
  ["2 * 3 % 4", "2"],
  ["7 // 2 * 2", "6"],
  ["1 << 2 + 1", "8"],
  ["1 | 2 ^ 3 & 4", "3"],
  ["1 & 3 == 1", "True"],
  ["1 < 2 < 3", "True"],
  ["3 > 2 > 1 > 0", "True"],
  ["1 < 2 > 1.5", "True"],
  ["1 == 1 == 1.0", "True"],
  ["(1 < 2) < 3", "True"],
  [
    "1 < 2 < ()",
    "ERR TypeError: '<' not supported between instances of 'int' and 'tuple'",
  ],
  ["1 > 2 < ()", "False"],
  ["0 or 5", "5"],
  ["1 and 2", "2"],
  ["0 and 1/0", "0"],
  ["1 or 1/0", "1"],
  ["() or 3", "3"],
  ["0 or 0.0", "0.0"],
  ["1 if 0 else 2", "2"],
  ["1 if 1 else 2 if 0 else 3", "1"],
  ["(1 if 0 else 2) + 1", "3"],
  ["1 + 1 if 0 else 5", "5"],
  ["not 1 if 1 else 2", "False"],
  ["x if 0 else 1", "1"],
  ["1, 2", "(1, 2)"],
  ["1,", "(1,)"],
  ["()", "()"],
  ["(1,)", "(1,)"],
  ["(1, 2.5, True)", "(1, 2.5, True)"],
  ["((1, 2), (3,))", "((1, 2), (3,))"],
  ["(1, (2, (3, ())))", "(1, (2, (3, ())))"],
  ["math.pi", "3.141592653589793"],
  ["math . pi", "3.141592653589793"],
  ["(math.\npi)", "3.141592653589793"],
  ["abs (-1)", "1"],
  ["abs(-1,)", "1"],
  ["max(1, 2, 3,)", "3"],
  ["1 +", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["+", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["-", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["**2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["a b", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 * * 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 ** ** 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 +* 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 = 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["x = 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 == = 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1;2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 : 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [":=", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["not", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 not 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 is", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 not in", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(,)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["f(,)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["abs(1,,2)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["abs(,1)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1,,)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "1 if 2",
    "ERR SyntaxError: expected 'else' after 'if' expression (<string>, line 1)",
  ],
  [
    "(1 if 2)",
    "ERR SyntaxError: expected 'else' after 'if' expression (<string>, line 1)",
  ],
  [
    "f(1 if 2)",
    "ERR SyntaxError: expected 'else' after 'if' expression (<string>, line 1)",
  ],
  ["1 if 2 else", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 if else 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 else 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "1 if 2 + else 3",
    "ERR SyntaxError: expected 'else' after 'if' expression (<string>, line 1)",
  ],
  ["1 if - else 3", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "1 if 2 < else 3",
    "ERR SyntaxError: expected 'else' after 'if' expression (<string>, line 1)",
  ],
  ["1 if (2 +) else 3", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "(1 2)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 + 2 3)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "f(1 2)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "[1 2]",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "{1 2}",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1\n2)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 2 +)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 2 if)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 -2 3)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 abs(2 +))",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 2 (3 +))",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 x.)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "(1 not 3)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  ["(_ 1)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "(1 if 2 else 3 4)",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  ["1 if 2 else 3 4", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 2 if 3", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["math.", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["math.1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["a.1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1 .5", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1.5.5", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1..real", "1.0"],
  ["..", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [".", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["a.if", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "f(a=1, 2)",
    "ERR SyntaxError: positional argument follows keyword argument (<string>, line 1)",
  ],
  [
    "f(a=1, a=2)",
    "ERR SyntaxError: keyword argument repeated: a (<string>, line 1)",
  ],
  [
    "f(**x, 1)",
    "ERR SyntaxError: positional argument follows keyword argument unpacking (<string>, line 1)",
  ],
  [
    "f(1=2)",
    'ERR SyntaxError: expression cannot contain assignment, perhaps you meant "=="? (<string>, line 1)',
  ],
  [
    "f(a+1=2)",
    'ERR SyntaxError: expression cannot contain assignment, perhaps you meant "=="? (<string>, line 1)',
  ],
  ["abs(x=1)", "ERR TypeError: abs() takes no keyword arguments"],
  ["yield", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "1 @ 2",
    "ERR TypeError: unsupported operand type(s) for @: 'int' and 'int'",
  ],
  // Where a parse error and an unclosed bracket compete, as CPython's two
  // passes decide: the bracket wins only if parsing read up to the end.
  ["*a", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["1, *a", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "(*a)",
    "ERR SyntaxError: cannot use starred expression here (<string>, line 1)",
  ],
  [
    "(**a)",
    "ERR SyntaxError: cannot use double starred expression here (<string>, line 1)",
  ],
  ["(**a", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["($", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1 +* 2", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1,,", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1;", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1 1", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["((1)2", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["( if", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["( else", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["abs( for", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ['a "s" [', "ERR SyntaxError: '[' was never closed (<string>, line 1)"],
  ["lambda {", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["lambda x y: 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  // Call arguments and displays.
  ["abs(True=1)", "ERR SyntaxError: cannot assign to True (<string>, line 1)"],
  ["pow(None=5)", "ERR SyntaxError: cannot assign to None (<string>, line 1)"],
  [
    "abs(x for x in y, 1)",
    "ERR SyntaxError: Generator expression must be parenthesized (<string>, line 1)",
  ],
  [
    "abs(x for x in (),)",
    "ERR SyntaxError: Generator expression must be parenthesized (<string>, line 1)",
  ],
  ["(x for x in y, 1)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["[x for x in y, 1]", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["[**a]", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["x := 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  // A stray = in brackets, where == was probably meant.
  [
    "(x = 1)",
    "ERR SyntaxError: invalid syntax. Maybe you meant '==' or ':=' instead of '='? (<string>, line 1)",
  ],
  [
    "(2 + 3 = 5)",
    "ERR SyntaxError: cannot assign to expression here. Maybe you meant '==' instead of '='? (<string>, line 1)",
  ],
  [
    "(1, 1 = 2)",
    "ERR SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='? (<string>, line 1)",
  ],
  [
    "(abs(1) = 2)",
    "ERR SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='? (<string>, line 1)",
  ],
  [
    "((x) = 1)",
    "ERR SyntaxError: cannot assign to name here. Maybe you meant '==' instead of '='? (<string>, line 1)",
  ],
  [
    "(x[0] = 1)",
    "ERR SyntaxError: cannot assign to subscript here. Maybe you meant '==' instead of '='? (<string>, line 1)",
  ],
  ["([x] = 1)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(x := 1 = 2)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["abs(x := 1 = 2)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  // Generators and unpacking among call arguments; __debug__.
  [
    "abs(x=1, y for y in z)",
    "ERR SyntaxError: Generator expression must be parenthesized (<string>, line 1)",
  ],
  [
    "abs(**a, *b)",
    "ERR SyntaxError: iterable argument unpacking follows keyword argument unpacking (<string>, line 1)",
  ],
  ["(x for x in y := 2)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "abs(__debug__=1)",
    "ERR SyntaxError: cannot assign to __debug__ (<string>, line 1)",
  ],
  ["__debug__", "True"],
  ["(1 < 2 = 3)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(x = 1 = 2)", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  ["(1 = 2", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["x = 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  // A line continuation that goes wrong fails only where the parser reads.
  [
    "1 if 2 \\",
    "ERR SyntaxError: unexpected character after line continuation character (<string>, line 1)",
  ],
  ["?\\\n", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  [
    "(1 2)\\\n",
    "ERR SyntaxError: invalid syntax. Perhaps you forgot a comma? (<string>, line 1)",
  ],
  [
    "1 +\\\n",
    "ERR SyntaxError: unexpected EOF while parsing (<string>, line 1)",
  ],
  // Python 2's print statement.
  [
    "print 1",
    "ERR SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (<string>, line 1)",
  ],
  [
    'print "s"',
    "ERR SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (<string>, line 1)",
  ],
  [
    "exec 1",
    "ERR SyntaxError: Missing parentheses in call to 'exec'. Did you mean exec(...)? (<string>, line 1)",
  ],
  [
    "print 1 if",
    "ERR SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? (<string>, line 1)",
  ],
  ["(print 1", "ERR SyntaxError: '(' was never closed (<string>, line 1)"],
  ["not print 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
  // Control characters are the tokenizer's error, wherever they stand.
  [
    "1+\u0001",
    "ERR SyntaxError: invalid non-printable character U+0001 (<string>, line 1)",
  ],
  [
    "\u001b",
    "ERR SyntaxError: invalid non-printable character U+001B (<string>, line 1)",
  ],
  [
    "(\u007f",
    "ERR SyntaxError: invalid non-printable character U+007F (<string>, line 1)",
  ],
];

/** Deliberate differences from CPython (see the JSDoc of lib/evaluate.ts). */
const PARSER_REFUSED: [string, string][] = [
  // CPython says "Ellipsis"
  ["...", "ERR UnsupportedError: Ellipsis is not supported by the calculator"],
  // CPython says "1"
  [
    "abs(*(1,))",
    "ERR UnsupportedError: argument unpacking is not supported by the calculator",
  ],
  // CPython says "ERR TypeError: can only concatenate str (not \"int\") to str"
  [
    "'a' + 1",
    "ERR UnsupportedError: strings are not supported by the calculator",
  ],
  // CPython says "[1]"
  ["[1]", "ERR UnsupportedError: lists are not supported by the calculator"],
  // CPython says "{1: 2}"
  [
    "{1: 2}",
    "ERR UnsupportedError: dicts and sets are not supported by the calculator",
  ],
  // CPython says "{1}"
  [
    "{1}",
    "ERR UnsupportedError: dicts and sets are not supported by the calculator",
  ],
  // CPython says "<function <lambda> at 0x7fd0981b5940>"
  [
    "lambda: 1",
    "ERR UnsupportedError: lambdas are not supported by the calculator",
  ],
  // CPython says "<function <lambda> at 0x7fd0981b58a0>"
  [
    "lambda x: x",
    "ERR UnsupportedError: lambdas are not supported by the calculator",
  ],
  // CPython says "ERR NameError: name 'y' is not defined"
  [
    "abs(x for x in y)",
    "ERR UnsupportedError: comprehensions are not supported by the calculator",
  ],
  // CPython says "ERR NameError: name 'y' is not defined"
  [
    "(x for x in y)",
    "ERR UnsupportedError: comprehensions are not supported by the calculator",
  ],
  // CPython says "ERR NameError: name 'y' is not defined"
  [
    "[x for x in y]",
    "ERR UnsupportedError: lists are not supported by the calculator",
  ],
  // CPython says "None"
  ["None", "ERR UnsupportedError: None is not supported by the calculator"],
  // CPython says "1"
  [
    "(x := 1)",
    "ERR UnsupportedError: assignment expressions are not supported by the calculator",
  ],
  // CPython says "ERR TypeError: 'int' object is not subscriptable"
  [
    "1[0]",
    "ERR UnsupportedError: subscripts are not supported by the calculator",
  ],
  // CPython says "True"
  [
    "1 is 1",
    "ERR UnsupportedError: the 'is' operator is not supported by the calculator",
  ],
  // CPython says "True"
  [
    "1 is not 2",
    "ERR UnsupportedError: the 'is' operator is not supported by the calculator",
  ],
  // CPython says "1"
  [
    "abs(x:=1)",
    "ERR UnsupportedError: assignment expressions are not supported by the calculator",
  ],
  // CPython says "(1, 2)"
  [
    "(1, x:=2)",
    "ERR UnsupportedError: assignment expressions are not supported by the calculator",
  ],
  // CPython says "[1]"
  [
    "[x := 1]",
    "ERR UnsupportedError: lists are not supported by the calculator",
  ],
  // CPython says "ERR NameError: name 'a' is not defined"
  [
    "(*a,)",
    "ERR UnsupportedError: star unpacking is not supported by the calculator",
  ],
  // CPython says "ERR SyntaxError: 'await' outside function (<string>, line 1)"
  ["await 1", "ERR SyntaxError: invalid syntax (<string>, line 1)"],
];

/**
 * Very long or deep inputs. CPython's compile-depth limit depends on its
 * caller's stack; the calculator fixes it at MAX_COMPILE_DEPTH (2993),
 * which python3 confirms answers "+".join(["1"] * 2993) at module level.
 */
const DEEP: [string, string][] = [
  [Array(MAX_COMPILE_DEPTH).fill("1").join("+"), "2993"],
  [
    Array(MAX_COMPILE_DEPTH + 1).fill("1").join("+"),
    "ERR RecursionError: maximum recursion depth exceeded during compilation",
  ],
  ["-".repeat(MAX_COMPILE_DEPTH - 1) + "1", "1"],
  [
    "-".repeat(MAX_COMPILE_DEPTH) + "1",
    "ERR RecursionError: maximum recursion depth exceeded during compilation",
  ],
  ["not ".repeat(MAX_COMPILE_DEPTH - 1) + "1", "True"],
  ["1 if 1 else ".repeat(MAX_COMPILE_DEPTH - 1) + "1", "1"],
  [Array(5000).fill("1").join("<"), "False"],
  [Array(10000).fill("1").join(" or "), "1"],
  ["-(".repeat(200) + "1" + ")".repeat(200), "1"],
  [
    "1 if 1 else lambda: ".repeat(1000) + "1",
    "ERR RecursionError: maximum recursion depth exceeded during compilation",
  ],
  [
    `max(1, ${keywordArguments(5000)}, a0=2)`,
    "ERR SyntaxError: keyword argument repeated: a0 (<string>, line 1)",
  ],
  [
    `max(1, ${keywordArguments(5000)})`,
    "ERR TypeError: max() takes at most 2 keyword arguments (5000 given)",
  ],
  [
    Array(2000).fill("1").join("+") + " 1",
    "ERR SyntaxError: invalid syntax (<string>, line 1)",
  ],
  [
    "-".repeat(5000) + "[1]",
    "ERR RecursionError: maximum recursion depth exceeded during compilation",
  ],
  // CPython gives the tuple.
  [
    Array(5000).fill("1").join(",") + ",[1]",
    "ERR UnsupportedError: lists are not supported by the calculator",
  ],
];

/** `a0=1, a1=1, ...`: `count` keyword arguments. */
function keywordArguments(count: number): string {
  return Array.from({ length: count }, (_, i) => `a${i}=1`).join(", ");
}

Deno.test("parse() follows Python's precedence and reports CPython's syntax errors", async (t) => {
  for (const [input, expected] of PARSER_AS_CPYTHON) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("parse() refuses valid Python the calculator does not support", async (t) => {
  for (const [input, expected] of PARSER_REFUSED) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("parse() handles long chains without deep recursion", async (t) => {
  for (const [input, expected] of DEEP) {
    await t.step(`${input.slice(0, 20)}... (${input.length} chars)`, () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("parse() keeps a run of one precedence flat", () => {
  const tree = parse(tokenize("1 + 2 - 3 * 4"));
  equal(tree.kind, NodeKind.Binary);
  if (tree.kind !== NodeKind.Binary) return;
  deepEqual(tree.ops, ["+", "-"]);
  equal(tree.operands.length, 3);
  equal(tree.operands[2].kind, NodeKind.Binary);
  equal(tree.depth, 3);
});

Deno.test("parse() binds ** tighter than a unary minus on its left", () => {
  const tree = parse(tokenize("-2 ** -1"));
  equal(tree.kind, NodeKind.Unary);
  if (tree.kind !== NodeKind.Unary) return;
  deepEqual(tree.ops, ["-"]);
  equal(tree.operand.kind, NodeKind.Power);
  if (tree.operand.kind !== NodeKind.Power) return;
  deepEqual(tree.operand.prefixes, [["-"]]);
});

Deno.test("parse() raises SyntaxError as a PyException", () => {
  throws(
    () => parse(tokenize("1 +")),
    (e: unknown) =>
      e instanceof PyException && e.pythonType === "SyntaxError" &&
      e.message === "invalid syntax (<string>, line 1)",
  );
});
