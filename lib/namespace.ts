/**
 * What names in an expression reach: the namespace `NS` of the builtins,
 * `math` and the bare names of `math`, the attributes of values, and
 * calls, each with CPython 3.11's errors. Names are looked up only in
 * tables built here, so no expression can reach a JavaScript object.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { BUILTINS } from "./builtins.ts";
import { MATH_MODULE } from "./math_module.ts";
import { typeName } from "./py_convert.ts";
import { binaryOp, unaryOp } from "./py_ops.ts";
import {
  isBuiltinClass,
  PyException,
  PyFunction,
  type PyKeywords,
  PyModule,
  type PyValue,
} from "./py_value.ts";

/**
 * Names and their values, found without hashing the name: every name an
 * expression holds is a new string, and hashing one in a `Map` costs more
 * than comparing it with the one or two names of its first letter and
 * length.
 */
class NameTable {
  // Filled in full, so that V8 keeps its elements in a plain array.
  private readonly buckets: ([string, PyValue][] | undefined)[] = new Array(
    BUCKETS,
  ).fill(undefined);

  constructor(entries: Iterable<[string, PyValue]>) {
    for (const entry of entries) {
      (this.buckets[bucketOf(entry[0])] ??= []).push(entry);
    }
  }

  /** The value of `name`, or `undefined` when it has none. */
  get(name: string): PyValue | undefined {
    const bucket = this.buckets[bucketOf(name)];
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      if (bucket[i][0] === name) return bucket[i][1];
    }
    return undefined;
  }
}

/** Buckets for names with an ASCII first letter, by letter and length. */
const BUCKETS = 128 * 16;

function bucketOf(name: string): number {
  return name.charCodeAt(0) * 16 + Math.min(name.length, 15);
}

/** The names an expression can use. */
const NAMESPACE = new NameTable(buildNamespace());

/** The attributes of each module, once looked up. */
const MODULE_ATTRIBUTES = new WeakMap<PyModule, NameTable>();

function moduleAttributes(module: PyModule): NameTable {
  let table = MODULE_ATTRIBUTES.get(module);
  if (table === undefined) {
    table = new NameTable(module.attributes);
    MODULE_ATTRIBUTES.set(module, table);
  }
  return table;
}

function buildNamespace(): Map<string, PyValue> {
  const names = new Map<string, PyValue>();
  for (const [name, value] of MATH_MODULE.attributes) {
    if (!name.startsWith("_")) names.set(name, value);
  }
  for (const [name, value] of BUILTINS) names.set(name, value);
  names.set("math", MATH_MODULE);
  return names;
}

/**
 * The value of a bare name, or CPython's `NameError`.
 *
 * @example
 * ```ts
 * import { lookUp } from "./namespace.ts";
 * lookUp("abs"); // the builtin abs
 * ```
 */
export function lookUp(name: string): PyValue {
  const value = NAMESPACE.get(name);
  if (value === undefined) {
    // The compiler makes it a constant: no namespace is asked.
    if (name === "__debug__") return true;
    throw makePyException(
      "NameError",
      `name '${first200Bytes(name)}' is not defined`,
    );
  }
  return value;
}

/**
 * The special attributes CPython 3.11's built-in `math` module has (its
 * own and those of every module): asking for one is no AttributeError.
 */
const MODULE_SPECIAL_ATTRIBUTES: ReadonlySet<string> = new Set([
  "__annotations__",
  "__class__",
  "__delattr__",
  "__dict__",
  "__dir__",
  "__doc__",
  "__eq__",
  "__format__",
  "__ge__",
  "__getattribute__",
  "__getstate__",
  "__gt__",
  "__hash__",
  "__init__",
  "__init_subclass__",
  "__le__",
  "__loader__",
  "__lt__",
  "__name__",
  "__ne__",
  "__new__",
  "__package__",
  "__reduce__",
  "__reduce_ex__",
  "__repr__",
  "__setattr__",
  "__sizeof__",
  "__spec__",
  "__str__",
  "__subclasshook__",
]);

function unsupportedSpecial(): PyException {
  return makePyException(
    "UnsupportedError",
    "special attributes are not supported by the calculator",
  );
}

const UTF8 = new TextEncoder();
const UTF8_OR_REPLACEMENT = new TextDecoder();

/**
 * A name as CPython's `%.200s` prints it in a message: its first 200 bytes
 * of UTF-8, a character cut in half there becoming U+FFFD.
 */
function first200Bytes(name: string): string {
  if (name.length <= 66) return name; // 66 characters are at most 198 bytes.
  const bytes = UTF8.encode(name);
  if (bytes.length <= 200) return name;
  return UTF8_OR_REPLACEMENT.decode(bytes.subarray(0, 200));
}

/**
 * `object.name`, or CPython's `AttributeError` (`UnsupportedError` for
 * what exists in CPython but is not offered).
 *
 * @example
 * ```ts
 * import { getAttribute, lookUp } from "./namespace.ts";
 * getAttribute(lookUp("math"), "pi"); // 3.141592653589793
 * ```
 */
export function getAttribute(object: PyValue, name: string): PyValue {
  if (object instanceof PyModule) {
    const value = name.charCodeAt(0) === 0x5f
      ? undefined
      : moduleAttributes(object).get(name);
    if (value !== undefined) return value;
    if (MODULE_SPECIAL_ATTRIBUTES.has(name)) throw unsupportedSpecial();
    throw makePyException(
      "AttributeError",
      `module '${object.name}' has no attribute '${name}'`,
    );
  }
  const number = numberAttribute(object, name);
  if (number !== undefined) return number;
  if (name.startsWith("__") && name.endsWith("__")) throw unsupportedSpecial();
  if (object instanceof PyFunction && isBuiltinClass(object)) {
    return classAttribute(object.name, name);
  }
  const owner = typeName(object);
  if (UNSUPPORTED_ATTRIBUTES[owner]?.includes(name)) {
    throw unsupportedAttribute(owner, name);
  }
  throw makePyException(
    "AttributeError",
    `'${owner}' object has no attribute '${name}'`,
  );
}

/** An attribute of the class `int`, `float` or `bool`: none is offered. */
function classAttribute(className: string, name: string): never {
  if (UNSUPPORTED_CLASS_ATTRIBUTES[className]?.includes(name)) {
    throw unsupportedAttribute(className, name);
  }
  throw makePyException(
    "AttributeError",
    `type object '${className}' has no attribute '${name}'`,
  );
}

function unsupportedAttribute(owner: string, name: string): PyException {
  return makePyException(
    "UnsupportedError",
    `${owner}.${name} is not supported by the calculator`,
  );
}

const INT_METHODS = [
  "as_integer_ratio",
  "bit_count",
  "bit_length",
  "conjugate",
  "from_bytes",
  "to_bytes",
];
const FLOAT_METHODS = [
  "as_integer_ratio",
  "conjugate",
  "fromhex",
  "hex",
  "is_integer",
];
// On a class these are descriptors, which the calculator does not offer.
const INT_DATA = ["real", "imag", "numerator", "denominator"];
const FLOAT_DATA = ["real", "imag"];

/**
 * Attributes CPython 3.11 has that the calculator does not offer, on values
 * by type name and on the classes by class name: saying they do not exist
 * (AttributeError) would be untrue.
 */
const UNSUPPORTED_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  int: INT_METHODS,
  bool: INT_METHODS,
  float: FLOAT_METHODS,
  tuple: ["count", "index"],
};
const UNSUPPORTED_CLASS_ATTRIBUTES: Readonly<
  Record<string, readonly string[]>
> = {
  int: [...INT_METHODS, ...INT_DATA, "mro"],
  bool: [...INT_METHODS, ...INT_DATA, "mro"],
  float: [...FLOAT_METHODS, ...FLOAT_DATA, "mro"],
};

/** The data attributes of ints and floats: `real`, `imag` and, for ints, `numerator` and `denominator`. */
function numberAttribute(object: PyValue, name: string): PyValue | undefined {
  if (typeof object === "number") {
    if (name === "real") return object;
    if (name === "imag") return 0;
    return undefined;
  }
  if (typeof object !== "bigint" && typeof object !== "boolean") {
    return undefined;
  }
  const n = typeof object === "bigint" ? object : object ? 1n : 0n;
  if (name === "real" || name === "numerator") return n;
  if (name === "imag") return 0n;
  if (name === "denominator") return 1n;
  return undefined;
}

/** The keywords of a call without any, shared because most calls have none. */
export const NO_KEYWORDS: PyKeywords = new Map();

/** A call's keywords from their names and values, in the order written. */
export function keywordsOf(
  names: readonly string[],
  values: readonly PyValue[],
): PyKeywords {
  if (names.length === 0) return NO_KEYWORDS;
  const keywords = new Map<string, PyValue>();
  for (let i = 0; i < names.length; i++) keywords.set(names[i], values[i]);
  return keywords;
}

/**
 * `callee(*args, **keywords)`, or CPython's `TypeError` when `callee` is
 * not callable; the arguments are evaluated before that is checked, as in
 * CPython. The exception a call raises is returned or thrown, as the
 * function's body chose (see `PyFunction`).
 *
 * @example
 * ```ts
 * import { callValue, lookUp, NO_KEYWORDS } from "./namespace.ts";
 * callValue(lookUp("abs"), [-2n], NO_KEYWORDS); // 2n
 * callValue(lookUp("sqrt"), [-1n], NO_KEYWORDS); // PyException ValueError
 * ```
 */
export function callValue(
  callee: PyValue,
  args: readonly PyValue[],
  keywords: PyKeywords,
): PyValue | PyException {
  if (!(callee instanceof PyFunction)) {
    throw makePyException(
      "TypeError",
      `'${typeName(callee)}' object is not callable`,
    );
  }
  return callee.apply(args, keywords);
}

/**
 * `a ** Ub b ** Uc c ...` from its operands' values, left to right, and the
 * unary operators written before each operand after the first: folded from
 * the right, each operand's prefixes applied to everything on its right.
 *
 * @example
 * ```ts
 * import { foldPower } from "./namespace.ts";
 * foldPower([2n, 3n, 2n], [[], ["-"]]); // 2 ** -(3 ** 2): 0.001953125
 * ```
 */
export function foldPower(
  values: readonly PyValue[],
  prefixes: readonly (readonly string[])[],
): PyValue {
  let value = values[values.length - 1];
  for (let i = values.length - 1; i >= 1; i--) {
    const ops = prefixes[i - 1];
    for (let j = ops.length - 1; j >= 0; j--) value = unaryOp(ops[j], value);
    value = binaryOp("**", values[i - 1], value);
  }
  return value;
}
