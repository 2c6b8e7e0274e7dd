/**
 * Argument checking for the `math` module, raising the `TypeError`s CPython
 * 3.11 raises for a wrong number or kind of arguments.
 *
 * CPython's math functions come in several calling conventions, and each
 * words its complaints differently: one-argument functions say
 * `math.sqrt() takes exactly one argument (2 given)`, two-argument ones say
 * `atan2 expected 2 arguments, got 3`, and the few with keyword parameters
 * (`isclose`, `prod`) go through a general parser. The helpers here
 * reproduce each convention.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { typeName } from "./py_convert.ts";
import {
  PyException,
  PyFunction,
  type PyKeywords,
  PyTuple,
  type PyValue,
} from "./py_value.ts";

/** Raises CPython's complaint about keyword arguments to `name`. */
export function rejectKeywords(
  name: string,
  keywords: PyKeywords,
): void {
  if (keywords.size > 0) {
    throw makePyException("TypeError", `${name}() takes no keyword arguments`);
  }
}

/**
 * Makes a one-argument function, which CPython complains about as
 * `math.sqrt() takes exactly one argument (2 given)`.
 */
export function unary(
  name: string,
  body: (x: PyValue) => PyValue | PyException,
): PyFunction {
  const qualified = `math.${name}`;
  return new PyFunction(name, (args, keywords) => {
    rejectKeywords(qualified, keywords);
    if (args.length !== 1) {
      throw makePyException(
        "TypeError",
        `${qualified}() takes exactly one argument (${args.length} given)`,
      );
    }
    return body(args[0]);
  });
}

/**
 * Checks a positional-only argument count, in the words CPython uses:
 * `atan2 expected 2 arguments, got 3` or `perm expected at most 2
 * arguments, got 3`.
 */
export function checkCount(
  name: string,
  args: readonly PyValue[],
  min: number,
  max: number,
): void {
  const n = args.length;
  if (n >= min && n <= max) return;
  const plural = (k: number) => k === 1 ? "argument" : "arguments";
  let expected: string;
  if (min === max) expected = `${min} ${plural(min)}`;
  else if (n < min) expected = `at least ${min} ${plural(min)}`;
  else expected = `at most ${max} ${plural(max)}`;
  throw makePyException("TypeError", `${name} expected ${expected}, got ${n}`);
}

/** Makes a two-argument function in the `atan2(y, x)` convention. */
export function binary(
  name: string,
  body: (x: PyValue, y: PyValue) => PyValue,
): PyFunction {
  const qualified = `math.${name}`;
  return new PyFunction(name, (args, keywords) => {
    rejectKeywords(qualified, keywords);
    checkCount(name, args, 2, 2);
    return body(args[0], args[1]);
  });
}

/** Makes a function taking any number of positional arguments. */
export function variadic(
  name: string,
  body: (args: readonly PyValue[]) => PyValue,
): PyFunction {
  const qualified = `math.${name}`;
  return new PyFunction(name, (args, keywords) => {
    rejectKeywords(qualified, keywords);
    return body(args);
  });
}

/** The shape of a function with keyword parameters, as CPython declares it. */
export interface Signature {
  /** The name used in messages, without the module: `isclose`. */
  readonly name: string;
  /** Every parameter name, positional ones first. */
  readonly names: readonly string[];
  /** How many leading parameters cannot be passed by keyword. */
  readonly positionalOnly: number;
  /** How many leading parameters may be passed by position. */
  readonly maxPositional: number;
  /** How many leading parameters are required. */
  readonly required: number;
}

/**
 * Binds positional and keyword arguments to parameters as CPython's
 * argument parser does, with its checks in its order; an absent optional
 * parameter is `undefined`.
 */
export function bindArguments(
  signature: Signature,
  args: readonly PyValue[],
  keywords: PyKeywords,
): (PyValue | undefined)[] {
  const { name, names, positionalOnly, maxPositional, required } = signature;
  const given = args.length + keywords.size;
  if (given > names.length) {
    throw tooManyArguments(name, names.length, args.length, given);
  }
  const positionalRequired = Math.min(positionalOnly, required);
  if (args.length > maxPositional) {
    throw positionalCountError(
      signature,
      required < maxPositional ? "at most" : "exactly",
      maxPositional,
      args.length,
    );
  }
  if (args.length < positionalRequired) {
    throw positionalCountError(
      signature,
      positionalRequired < maxPositional ? "at least" : "exactly",
      positionalRequired,
      args.length,
    );
  }

  const bound: (PyValue | undefined)[] = [...args];
  let unused = keywords.size;
  for (let i = Math.max(args.length, positionalOnly); i < names.length; i++) {
    const value = keywords.get(names[i]);
    if (value !== undefined) {
      unused--;
      bound[i] = value;
    } else if (i < required) {
      throw makePyException(
        "TypeError",
        `${name}() missing required argument '${names[i]}' (pos ${i + 1})`,
      );
    }
  }
  if (unused > 0) throw unexpectedKeywordError(signature, args, keywords);
  return bound;
}

/**
 * CPython's error for a call with more arguments than parameters; it says
 * "keyword arguments" when all were given by keyword.
 */
export function tooManyArguments(
  name: string,
  most: number,
  positional: number,
  given: number,
): PyException {
  const kind = positional === 0 ? "keyword " : "";
  return makePyException(
    "TypeError",
    `${name}() takes at most ${most} ${kind}` +
      `argument${most === 1 ? "" : "s"} (${given} given)`,
  );
}

function positionalCountError(
  signature: Signature,
  quantity: string,
  count: number,
  given: number,
): PyException {
  return makePyException(
    "TypeError",
    `${signature.name}() takes ${quantity} ${count} positional ` +
      `argument${count === 1 ? "" : "s"} (${given} given)`,
  );
}

function unexpectedKeywordError(
  signature: Signature,
  args: readonly PyValue[],
  keywords: PyKeywords,
): PyException {
  const { name, names, positionalOnly } = signature;
  for (let i = positionalOnly; i < args.length; i++) {
    if (keywords.has(names[i])) {
      return makePyException(
        "TypeError",
        `argument for ${name}() given by name ('${names[i]}') ` +
          `and position (${i + 1})`,
      );
    }
  }
  // Positional-only parameters have names, but no keyword reaches them.
  const keywordNames = names.slice(positionalOnly);
  const unknown = [...keywords.keys()].find((key) =>
    !keywordNames.includes(key)
  );
  return makePyException(
    "TypeError",
    `'${unknown}' is an invalid keyword argument for ${name}()`,
  );
}

/**
 * The items of an iterable argument. Tuples are the calculator's only
 * iterables, so anything else raises CPython's `'int' object is not
 * iterable`.
 */
export function iterate(value: PyValue): readonly PyValue[] {
  if (value instanceof PyTuple) return value.items;
  throw makePyException(
    "TypeError",
    `'${typeName(value)}' object is not iterable`,
  );
}
