import { equal } from "node:assert/strict";
import { evaluateToReply } from "../lib/evaluate.ts";

/** Replies identical to CPython 3.11.7's, captured from python3. */
const BUILTINS_AS_CPYTHON: [string, string][] = [
  ["abs(-1)", "1"],
  ["abs(-0.0)", "0.0"],
  ["abs(True)", "1"],
  ["abs(-2**70)", "1180591620717411303424"],
  ["abs(-inf)", "inf"],
  ["abs()", "ERR TypeError: abs() takes exactly one argument (0 given)"],
  ["abs(1, 2)", "ERR TypeError: abs() takes exactly one argument (2 given)"],
  ["abs(x=1)", "ERR TypeError: abs() takes no keyword arguments"],
  // Too many arguments: "keyword arguments" when all came by keyword.
  [
    "int(a=1, x=2, y=3)",
    "ERR TypeError: int() takes at most 2 keyword arguments (3 given)",
  ],
  [
    "int(1, a=2, b=3)",
    "ERR TypeError: int() takes at most 2 arguments (3 given)",
  ],
  [
    "round(number=1, ndigits=2, x=3)",
    "ERR TypeError: round() takes at most 2 keyword arguments (3 given)",
  ],
  [
    "pow(base=1, exp=2, mod=3, x=4)",
    "ERR TypeError: pow() takes at most 3 keyword arguments (4 given)",
  ],
  // A positional-only parameter's name is no keyword.
  [
    "prod((), iterable=0)",
    "ERR TypeError: 'iterable' is an invalid keyword argument for prod()",
  ],
  ["abs(())", "ERR TypeError: bad operand type for abs(): 'tuple'"],
  ["abs(math)", "ERR TypeError: bad operand type for abs(): 'module'"],
  [
    "abs(abs)",
    "ERR TypeError: bad operand type for abs(): 'builtin_function_or_method'",
  ],
  ["bool()", "False"],
  ["bool(0)", "False"],
  ["bool(0.0)", "False"],
  ["bool(nan)", "True"],
  ["bool(())", "False"],
  ["bool((0,))", "True"],
  ["bool(1, 2)", "ERR TypeError: bool expected at most 1 argument, got 2"],
  ["bool(x=1)", "ERR TypeError: bool() takes no keyword arguments"],
  ["bool(abs)", "True"],
  ["float()", "0.0"],
  ["float(1)", "1.0"],
  ["float(True)", "1.0"],
  ["float(-0.0)", "-0.0"],
  ["float(2**1024)", "ERR OverflowError: int too large to convert to float"],
  ["float(2**53 + 1)", "9007199254740992.0"],
  ["float(1, 2)", "ERR TypeError: float expected at most 1 argument, got 2"],
  ["float(x=1)", "ERR TypeError: float() takes no keyword arguments"],
  [
    "float(())",
    "ERR TypeError: float() argument must be a string or a real number, not 'tuple'",
  ],
  ["int()", "0"],
  ["int(3.9)", "3"],
  ["int(-3.9)", "-3"],
  ["int(True)", "1"],
  ["int(1e20)", "100000000000000000000"],
  ["int(1.5e300) > 0", "True"],
  ["int(inf)", "ERR OverflowError: cannot convert float infinity to integer"],
  ["int(nan)", "ERR ValueError: cannot convert float NaN to integer"],
  [
    "int(())",
    "ERR TypeError: int() argument must be a string, a bytes-like object or a real number, not 'tuple'",
  ],
  [
    "int(1, 2)",
    "ERR TypeError: int() can't convert non-string with explicit base",
  ],
  ["int(x=1)", "ERR TypeError: 'x' is an invalid keyword argument for int()"],
  // CPython counts the arguments, then checks keyword names, then the base.
  [
    "int(0, 0, x=0)",
    "ERR TypeError: int() takes at most 2 arguments (3 given)",
  ],
  [
    "int(5, x=1)",
    "ERR TypeError: 'x' is an invalid keyword argument for int()",
  ],
  [
    "int(0, ())",
    "ERR TypeError: 'tuple' object cannot be interpreted as an integer",
  ],
  [
    "int(2.5, 1.5)",
    "ERR TypeError: 'float' object cannot be interpreted as an integer",
  ],
  ["int(2, 37)", "ERR ValueError: int() base must be >= 2 and <= 36, or 0"],
  ["int(5, True)", "ERR ValueError: int() base must be >= 2 and <= 36, or 0"],
  [
    "int(5, base=-1)",
    "ERR ValueError: int() base must be >= 2 and <= 36, or 0",
  ],
  [
    "int(5, 0)",
    "ERR TypeError: int() can't convert non-string with explicit base",
  ],
  ["int(base=10)", "ERR TypeError: int() missing string argument"],
  ["int(1, 2, 3)", "ERR TypeError: int() takes at most 2 arguments (3 given)"],
  [
    "int(1, base=2)",
    "ERR TypeError: int() can't convert non-string with explicit base",
  ],
  ["divmod(7, 2)", "(3, 1)"],
  ["divmod(-7, 2)", "(-4, 1)"],
  ["divmod(7, -2)", "(-4, -1)"],
  ["divmod(-7.5, 2)", "(-4.0, 0.5)"],
  ["divmod(7.5, -2)", "(-4.0, -0.5)"],
  ["divmod(-0.0, 1)", "(-0.0, 0.0)"],
  ["divmod(0.0, -1)", "(-0.0, -0.0)"],
  ["divmod(1, 0)", "ERR ZeroDivisionError: integer division or modulo by zero"],
  ["divmod(1.0, 0)", "ERR ZeroDivisionError: float divmod()"],
  ["divmod(1.0, 0.0)", "ERR ZeroDivisionError: float divmod()"],
  ["divmod(True, 2)", "(0, 1)"],
  ["divmod(5, 2.0)", "(2.0, 1.0)"],
  [
    "divmod((), 1)",
    "ERR TypeError: unsupported operand type(s) for divmod(): 'tuple' and 'int'",
  ],
  [
    "divmod(1, ())",
    "ERR TypeError: unsupported operand type(s) for divmod(): 'int' and 'tuple'",
  ],
  ["divmod(1)", "ERR TypeError: divmod expected 2 arguments, got 1"],
  ["divmod(1, 2, 3)", "ERR TypeError: divmod expected 2 arguments, got 3"],
  ["divmod(x=1)", "ERR TypeError: divmod() takes no keyword arguments"],
  [
    "divmod(2**1100, 1.0)",
    "ERR OverflowError: int too large to convert to float",
  ],
  ["pow(2, 10)", "1024"],
  ["pow(2, -1)", "0.5"],
  ["pow(2, 3, 5)", "3"],
  ["pow(-3, 3, 5)", "3"],
  ["pow(3, 3, -5)", "-3"],
  ["pow(2, -1, 5)", "3"],
  [
    "pow(2, -1, 4)",
    "ERR ValueError: base is not invertible for the given modulus",
  ],
  ["pow(2, 3, 0)", "ERR ValueError: pow() 3rd argument cannot be 0"],
  ["pow(2, -1, 0)", "ERR ValueError: pow() 3rd argument cannot be 0"],
  ["pow(3, 10**20, 7)", "4"],
  ["pow(5, -2, 13)", "12"],
  ["pow(2, 3, 1)", "0"],
  ["pow(True, True, 2)", "1"],
  [
    "pow(2.0, 3, 4)",
    "ERR TypeError: pow() 3rd argument not allowed unless all arguments are integers",
  ],
  [
    "pow(2, 3.0, 4)",
    "ERR TypeError: pow() 3rd argument not allowed unless all arguments are integers",
  ],
  [
    "pow((), 2, 3)",
    "ERR TypeError: unsupported operand type(s) for ** or pow(): 'tuple', 'int', 'int'",
  ],
  [
    "pow(2, (), 3.0)",
    "ERR TypeError: pow() 3rd argument not allowed unless all arguments are integers",
  ],
  [
    "pow((), 2)",
    "ERR TypeError: unsupported operand type(s) for ** or pow(): 'tuple' and 'int'",
  ],
  ["pow()", "ERR TypeError: pow() missing required argument 'base' (pos 1)"],
  ["pow(1)", "ERR TypeError: pow() missing required argument 'exp' (pos 2)"],
  [
    "pow(2, 3, 4, 5)",
    "ERR TypeError: pow() takes at most 3 arguments (4 given)",
  ],
  ["pow(base=2, exp=3)", "8"],
  ["pow(2, exp=3, mod=5)", "3"],
  ["pow(x=2)", "ERR TypeError: pow() missing required argument 'base' (pos 1)"],
  [
    "pow(2, base=3)",
    "ERR TypeError: pow() missing required argument 'exp' (pos 2)",
  ],
  [
    "pow(2, 3, mod=5, x=1)",
    "ERR TypeError: pow() takes at most 3 arguments (4 given)",
  ],
  ["round(2.5)", "2"],
  ["round(3.5)", "4"],
  ["round(-2.5)", "-2"],
  ["round(-0.4)", "0"],
  ["round(0.5)", "0"],
  ["round(0.125, 2)", "0.12"],
  ["round(0.375, 2)", "0.38"],
  ["round(2.675, 2)", "2.67"],
  ["round(1234, -2)", "1200"],
  ["round(1250, -2)", "1200"],
  ["round(1350, -2)", "1400"],
  ["round(15, -1)", "20"],
  ["round(25, -1)", "20"],
  ["round(-25, -1)", "-20"],
  ["round(1, -10**6)", "0"],
  ["round(12345, -3)", "12000"],
  ["round(-0.4, 0)", "-0.0"],
  ["round(0.5, 0)", "0.0"],
  ["round(1e300, -300)", "1e+300"],
  ["round(1e300, -301)", "0.0"],
  ["round(-1e300, -400)", "-0.0"],
  ["round(5e-324, 400)", "5e-324"],
  [
    "round(1.7976931348623157e308, -308)",
    "ERR OverflowError: rounded value too large to represent",
  ],
  ["round(1.5, 10**9)", "1.5"],
  ["round(1.5, -10**9)", "0.0"],
  ["round(inf)", "ERR OverflowError: cannot convert float infinity to integer"],
  ["round(nan)", "ERR ValueError: cannot convert float NaN to integer"],
  ["round(inf, 2)", "inf"],
  ["round(nan, 2)", "nan"],
  ["round(True)", "1"],
  ["round(True, 1)", "1"],
  ["round(2.5, True)", "2.5"],
  [
    "round(1.5, 1.5)",
    "ERR TypeError: 'float' object cannot be interpreted as an integer",
  ],
  ["round(())", "ERR TypeError: type tuple doesn't define __round__ method"],
  ["round((), 2)", "ERR TypeError: type tuple doesn't define __round__ method"],
  [
    "round(1.5, ())",
    "ERR TypeError: 'tuple' object cannot be interpreted as an integer",
  ],
  [
    "round()",
    "ERR TypeError: round() missing required argument 'number' (pos 1)",
  ],
  [
    "round(1, 2, 3)",
    "ERR TypeError: round() takes at most 2 arguments (3 given)",
  ],
  [
    "round(x=1)",
    "ERR TypeError: round() missing required argument 'number' (pos 1)",
  ],
  ["round(number=1.25, ndigits=1)", "1.2"],
  ["round(number=2.5)", "2"],
  [
    "round(2.5, number=1)",
    "ERR TypeError: argument for round() given by name ('number') and position (1)",
  ],
  ["round(2, ndigits=2)", "2"],
  ["round(0.1, 1)", "0.1"],
  ["round(0.15, 1)", "0.1"],
  ["round(0.25, 1)", "0.2"],
  ["round(2.345, 2)", "2.35"],
  ["round(1e-20, 25)", "1e-20"],
  ["round(123.456, -1)", "120.0"],
  ["round(-123.456, 1)", "-123.5"],
  ["round(1e16 + 2, -1)", "1e+16"],
  ["max(1, 2)", "2"],
  ["max(2, 2.0)", "2"],
  ["max(2.0, 2)", "2.0"],
  ["min(1.0, 1)", "1.0"],
  ["max((1, 2))", "2"],
  ["min((3, 1, 2))", "1"],
  ["max(())", "ERR ValueError: max() arg is an empty sequence"],
  ["min(())", "ERR ValueError: min() arg is an empty sequence"],
  ["max((), default=3)", "3"],
  ["max((1, 2), default=3)", "2"],
  [
    "max(1, 2, default=3)",
    "ERR TypeError: Cannot specify a default for max() with multiple positional arguments",
  ],
  ["max(1)", "ERR TypeError: 'int' object is not iterable"],
  ["max()", "ERR TypeError: max expected at least 1 argument, got 0"],
  ["min()", "ERR TypeError: min expected at least 1 argument, got 0"],
  ["max(x=1)", "ERR TypeError: max expected at least 1 argument, got 0"],
  ["max(1, 2, key=abs)", "2"],
  ["max((1, -2), key=abs)", "-2"],
  ["max((1, -2), key=3)", "ERR TypeError: 'int' object is not callable"],
  ["max((), default=1, key=abs)", "1"],
  [
    "min(1, foo=2)",
    "ERR TypeError: 'foo' is an invalid keyword argument for min()",
  ],
  [
    "min((1, 2), default=3, key=abs, foo=1)",
    "ERR TypeError: min() takes at most 2 keyword arguments (3 given)",
  ],
  [
    "max(1, ())",
    "ERR TypeError: '>' not supported between instances of 'tuple' and 'int'",
  ],
  ["min((1, 2, 3), (1, 2))", "(1, 2)"],
  ["max(nan, 1)", "nan"],
  ["max(1, nan)", "1"],
];

/** Deliberate differences from CPython (see the JSDoc of lib/evaluate.ts). */
const BUILTINS_REFUSED: [string, string][] = [
  // CPython says "(1.7319121124709868e-16+2.8284271247461903j)"
  ["pow(-8, 0.5)", "ERR UnsupportedError: complex results are not supported"],
  // CPython says "2"
  [
    "round(1.5, None)",
    "ERR UnsupportedError: None is not supported by the calculator",
  ],
];

Deno.test("builtins take CPython's arguments and give CPython's answers", async (t) => {
  for (const [input, expected] of BUILTINS_AS_CPYTHON) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});

Deno.test("builtins refuse what has no calculator value", async (t) => {
  for (const [input, expected] of BUILTINS_REFUSED) {
    await t.step(JSON.stringify(input), () => {
      equal(evaluateToReply(input), expected);
    });
  }
});
