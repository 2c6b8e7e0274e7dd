/**
 * The built-in functions the calculator offers: `abs`, `bool`, `divmod`,
 * `float`, `int`, `max`, `min`, `pow` and `round`, with CPython's argument
 * handling and messages.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { bitLength, checkResultBits } from "./limits.ts";
import { tooManyArguments } from "./math_args.ts";
import {
  floatDivmod,
  intFloorDivide,
  intModulo,
  modularPower,
} from "./py_arith.ts";
import { floatToBigint, toFloat, toIndex, typeName } from "./py_convert.ts";
import { binaryOp, compareOp, truthy } from "./py_ops.ts";
import {
  PyException,
  PyFunction,
  type PyKeywords,
  PyTuple,
  type PyValue,
} from "./py_value.ts";

function typeError(message: string): PyException {
  return makePyException("TypeError", message);
}

/** Raises CPython's error for a function that takes no keywords. */
function noKeywords(name: string, keywords: PyKeywords): void {
  if (keywords.size > 0) {
    throw typeError(`${name}() takes no keyword arguments`);
  }
}

/**
 * Matches arguments to named parameters the way CPython's Argument Clinic
 * does, with its messages; missing optional parameters are `undefined`.
 */
function bindArguments(
  name: string,
  params: readonly string[],
  required: number,
  args: readonly PyValue[],
  keywords: PyKeywords,
): (PyValue | undefined)[] {
  const given = args.length + keywords.size;
  if (given > params.length) {
    throw tooManyArguments(name, params.length, args.length, given);
  }
  const bound: (PyValue | undefined)[] = [];
  let used = 0;
  for (let i = 0; i < params.length; i++) {
    let value: PyValue | undefined = args[i];
    // Most calls have no keywords: looking a name up would hash it anew.
    if (value === undefined && keywords.size > 0 && keywords.has(params[i])) {
      value = keywords.get(params[i]);
      used++;
    }
    if (value === undefined && i < required) {
      throw typeError(
        `${name}() missing required argument '${params[i]}' (pos ${i + 1})`,
      );
    }
    bound.push(value);
  }
  if (used < keywords.size) unexpectedKeyword(name, params, args, keywords);
  return bound;
}

function unexpectedKeyword(
  name: string,
  params: readonly string[],
  args: readonly PyValue[],
  keywords: PyKeywords,
): never {
  for (const key of keywords.keys()) {
    const position = params.indexOf(key);
    if (position >= 0 && position < args.length) {
      throw typeError(
        `argument for ${name}() given by name ('${key}') and position ` +
          `(${position + 1})`,
      );
    }
    if (position < 0) {
      throw typeError(`'${key}' is an invalid keyword argument for ${name}()`);
    }
  }
  throw typeError(`${name}() got unexpected keyword arguments`);
}

function abs(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  noKeywords("abs", keywords);
  if (args.length !== 1) {
    throw typeError(
      `abs() takes exactly one argument (${args.length} given)`,
    );
  }
  const x = args[0];
  if (typeof x === "number") return Math.abs(x);
  if (typeof x === "bigint") return x < 0n ? -x : x;
  if (typeof x === "boolean") return x ? 1n : 0n;
  throw typeError(`bad operand type for abs(): '${typeName(x)}'`);
}

function atMostOne(name: string, args: readonly PyValue[]): void {
  if (args.length > 1) {
    throw typeError(
      `${name} expected at most 1 argument, got ${args.length}`,
    );
  }
}

function bool(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  noKeywords("bool", keywords);
  atMostOne("bool", args);
  return args.length === 0 ? false : truthy(args[0]);
}

function float(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  noKeywords("float", keywords);
  atMostOne("float", args);
  if (args.length === 0) return 0;
  const x = args[0];
  if (
    typeof x === "number" || typeof x === "bigint" || typeof x === "boolean"
  ) {
    return toFloat(x);
  }
  throw typeError(
    `float() argument must be a string or a real number, not '${typeName(x)}'`,
  );
}

/**
 * `int(x)` and `int(x, base)`, checking in CPython's order: the number of
 * arguments, keyword names, then the base, and only then that `x` is no
 * string (the calculator has none, so any base is an error in the end).
 */
function int(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  const given = args.length + keywords.size;
  if (given > 2) throw tooManyArguments("int", 2, args.length, given);
  for (const key of keywords.keys()) {
    if (key !== "base" || args.length > 1) {
      throw typeError(`'${key}' is an invalid keyword argument for int()`);
    }
  }
  if (args.length === 0) {
    if (keywords.size > 0) throw typeError("int() missing string argument");
    return 0n;
  }
  if (given === 2) {
    const base = toIndex(args.length === 2 ? args[1] : keywords.get("base")!);
    if (base !== 0n && (base < 2n || base > 36n)) {
      throw makePyException(
        "ValueError",
        "int() base must be >= 2 and <= 36, or 0",
      );
    }
    throw typeError("int() can't convert non-string with explicit base");
  }
  const x = args[0];
  if (typeof x === "number") return floatToBigint(x);
  if (typeof x === "bigint") return x;
  if (typeof x === "boolean") return x ? 1n : 0n;
  throw typeError(
    "int() argument must be a string, a bytes-like object or a real " +
      `number, not '${typeName(x)}'`,
  );
}

function divmod(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  noKeywords("divmod", keywords);
  if (args.length !== 2) {
    throw typeError(`divmod expected 2 arguments, got ${args.length}`);
  }
  const [a, b] = args;
  const numeric = (v: PyValue) =>
    typeof v === "number" || typeof v === "bigint" || typeof v === "boolean";
  if (!numeric(a) || !numeric(b)) {
    throw typeError(
      `unsupported operand type(s) for divmod(): '${typeName(a)}' and '${
        typeName(b)
      }'`,
    );
  }
  if (typeof a === "number" || typeof b === "number") {
    return new PyTuple(floatDivmod(toFloat(a), toFloat(b)));
  }
  const x = toIndex(a);
  const y = toIndex(b);
  const message = "integer division or modulo by zero";
  return new PyTuple([intFloorDivide(x, y), intModulo(x, y, message)]);
}

function pow(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  const [base, exp, mod] = bindArguments(
    "pow",
    ["base", "exp", "mod"],
    2,
    args,
    keywords,
  ) as [PyValue, PyValue, PyValue | undefined];
  if (mod === undefined) return binaryOp("**", base, exp);
  const isInt = (v: PyValue) => typeof v === "bigint" || typeof v === "boolean";
  if (isInt(base) && isInt(exp) && isInt(mod)) {
    return modularPower(toIndex(base), toIndex(exp), toIndex(mod));
  }
  // CPython's float power rejects any third argument before anything else.
  if ([base, exp, mod].some((v) => typeof v === "number")) {
    throw typeError(
      "pow() 3rd argument not allowed unless all arguments are integers",
    );
  }
  throw typeError(
    `unsupported operand type(s) for ** or pow(): '${typeName(base)}', '${
      typeName(exp)
    }', '${typeName(mod)}'`,
  );
}

function round(args: readonly PyValue[], keywords: PyKeywords): PyValue {
  const [x, digits] = bindArguments(
    "round",
    ["number", "ndigits"],
    1,
    args,
    keywords,
  ) as [PyValue, PyValue | undefined];
  if (typeof x === "number") {
    return digits === undefined
      ? roundFloat(x)
      : roundFloatTo(x, toIndex(digits));
  }
  if (typeof x === "bigint" || typeof x === "boolean") {
    const n = toIndex(x);
    return digits === undefined ? n : roundInt(n, toIndex(digits));
  }
  throw typeError(`type ${typeName(x)} doesn't define __round__ method`);
}

/** `round(x)` for a float: the nearest int, ties to even. */
function roundFloat(x: number): bigint {
  const floor = Math.floor(x);
  const diff = x - floor;
  let rounded = floor;
  if (diff > 0.5 || (diff === 0.5 && floor % 2 !== 0)) rounded = floor + 1;
  return floatToBigint(Number.isFinite(x) ? rounded : x);
}

/** `round(n, digits)` for an int, ties to even. */
function roundInt(n: bigint, digits: bigint): bigint {
  if (digits >= 0n) return n;
  const powerBits = Number(-digits) * Math.log2(10);
  checkResultBits(powerBits, "round()");
  // 10**-digits above 2|n| rounds n to 0: skip computing the power.
  if (powerBits > bitLength(n) + 2) return 0n;
  const p = 10n ** -digits;
  const q = intFloorDivide(n, p);
  const r = n - q * p;
  const up = 2n * r > p || (2n * r === p && (q & 1n) === 1n);
  return (up ? q + 1n : q) * p;
}

/** CPython returns floats unchanged past these digit counts. */
const MAX_FLOAT_DIGITS = 323n;
const MIN_FLOAT_DIGITS = -308n;

/**
 * `round(x, digits)` for a float: rounds the exact decimal value of `x`
 * half to even, then reads the rounded decimal back, as CPython does.
 */
function roundFloatTo(x: number, digits: bigint): number {
  if (!Number.isFinite(x) || x === 0 || digits > MAX_FLOAT_DIGITS) return x;
  if (digits < MIN_FLOAT_DIGITS) return x < 0 ? -0 : 0;
  const nd = Number(digits);
  const [mantissa, exponent] = exactBinary(Math.abs(x));
  // |x| = mantissa * 2**exponent; scale by 10**nd and round to an int.
  let numerator = mantissa;
  let denominator = 1n;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  if (nd >= 0) numerator *= 10n ** BigInt(nd);
  else denominator *= 10n ** BigInt(-nd);
  const q = numerator / denominator;
  const twice = 2n * (numerator - q * denominator);
  const up = twice > denominator ||
    (twice === denominator && (q & 1n) === 1n);
  const rounded = Number(`${x < 0 ? "-" : ""}${up ? q + 1n : q}e${-nd}`);
  if (!Number.isFinite(rounded)) {
    throw makePyException(
      "OverflowError",
      "rounded value too large to represent",
    );
  }
  return rounded;
}

/** Splits a finite positive float into an integer mantissa and exponent. */
function exactBinary(x: number): [bigint, number] {
  let exponent = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    exponent--;
  }
  while (x > Number.MAX_SAFE_INTEGER) {
    x /= 2;
    exponent++;
  }
  return [BigInt(x), exponent];
}

function minMax(isMax: boolean) {
  const name = isMax ? "max" : "min";
  const op = isMax ? ">" : "<";
  return (args: readonly PyValue[], keywords: PyKeywords): PyValue => {
    if (args.length === 0) {
      throw typeError(`${name} expected at least 1 argument, got 0`);
    }
    if (keywords.size > 2) {
      throw typeError(
        `${name}() takes at most 2 keyword arguments (${keywords.size} given)`,
      );
    }
    for (const key of keywords.keys()) {
      if (key !== "key" && key !== "default") {
        throw typeError(
          `'${key}' is an invalid keyword argument for ${name}()`,
        );
      }
    }
    const fallback = keywords.get("default");
    if (fallback !== undefined && args.length > 1) {
      throw typeError(
        `Cannot specify a default for ${name}() with multiple positional ` +
          "arguments",
      );
    }
    const items = args.length > 1 ? args : iterate(args[0]);
    if (items.length === 0) {
      if (fallback !== undefined) return fallback;
      throw makePyException("ValueError", `${name}() arg is an empty sequence`);
    }
    return pickExtreme(items, op, keywords.get("key"));
  };
}

function iterate(value: PyValue): readonly PyValue[] {
  if (value instanceof PyTuple) return value.items;
  throw typeError(`'${typeName(value)}' object is not iterable`);
}

function pickExtreme(
  items: readonly PyValue[],
  op: string,
  key: PyValue | undefined,
): PyValue {
  const keyOf = (item: PyValue): PyValue => {
    if (key === undefined) return item;
    if (!(key instanceof PyFunction)) {
      throw typeError(`'${typeName(key)}' object is not callable`);
    }
    return key.call([item], new Map());
  };
  let best = items[0];
  let bestKey = keyOf(best);
  for (let i = 1; i < items.length; i++) {
    const itemKey = keyOf(items[i]);
    if (compareOp(op, itemKey, bestKey)) {
      best = items[i];
      bestKey = itemKey;
    }
  }
  return best;
}

/** The built-in functions by name. */
export const BUILTINS: ReadonlyMap<string, PyFunction> = new Map(
  [
    new PyFunction("abs", abs),
    new PyFunction("bool", bool),
    new PyFunction("divmod", divmod),
    new PyFunction("float", float),
    new PyFunction("int", int),
    new PyFunction("max", minMax(true)),
    new PyFunction("min", minMax(false)),
    new PyFunction("pow", pow),
    new PyFunction("round", round),
  ].map((f) => [f.name, f]),
);
