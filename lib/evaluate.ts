/**
 * Evaluates calculator expressions: Python arithmetic with the answers and
 * errors of CPython 3.11's `repr(eval(expression, NS))`.
 *
 * `NS` holds the builtins `abs bool divmod float int max min pow round`,
 * the module `math`, and every public name of `math` bound bare as well
 * (`sqrt(2)`), except that bare `pow` stays the builtin. Names are looked up
 * only in maps built here, so no expression can reach a JavaScript object.
 *
 * Deliberate differences from CPython, each met only by unusual input:
 * - Strings, complex numbers, lists, dicts, sets, lambdas, comprehensions,
 *   subscripts, `None`, `...`, star unpacking, `:=` and the `is` operator
 *   give `UnsupportedError`, and so does any result CPython would give as a
 *   complex number (`(-8) ** 0.5`). An unsupported construct is refused
 *   wherever it appears, even where CPython would not evaluate it
 *   (`0 and 'a'`), and after any `SyntaxError` elsewhere in the input.
 * - Work or memory beyond the limits in `limits.ts` (ints over 2**27 bits,
 *   about 10 ms of big-integer arithmetic, tuples over a million items)
 *   and `math_int.ts` gives `LimitError` instead of a long wait or
 *   `MemoryError`. One of them is stricter than CPython's 10 ms: `gcd` and
 *   `lcm` of ints of 50,000 to about 95,000 bits, which CPython answers in
 *   time, are refused, because ours take about twice as long.
 * - Nesting deeper than CPython's compiler allows gives `RecursionError`
 *   at a fixed depth of 2993; CPython's exact limit depends on how deep its
 *   caller's stack is, and for some very deep inputs CPython's parser
 *   raises `MemoryError` instead. Expressions nested more than 600 deep
 *   through lambdas (`a if b else lambda: ...`) also give `RecursionError`.
 * - Methods of numbers and tuples (`(1).bit_length()`, `(1, 2).count(1)`)
 *   give `UnsupportedError`; of the attributes, only `real`, `imag`,
 *   `numerator` and `denominator` are offered.
 * - Floats have no identity here: `x in t` and tuple comparisons compare
 *   items with `==` only, so `nan in (nan,)` and `(nan,) == (nan,)` are
 *   `False` where CPython, seeing the very same object, says `True`.
 * - `int | float` (a type union) is a `TypeError`, as before Python 3.10.
 * - `math` prints as `<module 'math' (built-in)>`, as Debian's python3 does;
 *   a CPython built with `math` as a shared library names its file.
 * - `await` and other statements' keywords give the generic
 *   `invalid syntax` where CPython may name the problem.
 * - Malformed input gets CPython's `SyntaxError`, and its message for all
 *   but a few shapes that CPython's second, slower parsing pass has special
 *   rules for: a lambda's parameters are checked for their shape only, so
 *   `lambda *: 0`, `lambda x=1, y: 2` or a repeated name is refused as a
 *   lambda where CPython names the mistake; a call with several bad
 *   arguments may name another of them; and a form feed before nothing
 *   gets another message. Of 4,000 random inputs with brackets, 23 get
 *   another `SyntaxError` message than CPython's.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { BUILTINS } from "./builtins.ts";
import { fastParse } from "./fast_parser.ts";
import { resetBudget } from "./limits.ts";
import { MATH_MODULE } from "./math_module.ts";
import { HandOff, type TokenPrefix } from "./parse_tokens.ts";
import { parse } from "./parser.ts";
import { typeName } from "./py_convert.ts";
import { binaryOp, compareOp, truthy, unaryOp } from "./py_ops.ts";
import { repr } from "./py_repr.ts";
import {
  isBuiltinClass,
  PyException,
  PyFunction,
  type PyKeywords,
  PyModule,
  PyTuple,
  type PyValue,
} from "./py_value.ts";
import { type Node, NodeKind } from "./syntax_tree.ts";
import { tokenize } from "./tokenizer.ts";

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
 * Evaluates `source` and returns its value, raising `PyException` with
 * CPython's exception type and message when CPython would raise.
 *
 * @example
 * ```ts
 * import { evaluate } from "./evaluate.ts";
 * evaluate("2 ** 10"); // 1024n
 * ```
 */
export function evaluate(source: string): PyValue {
  resetBudget();
  const tree = fastParse(source, HAND_OFF) ??
    parseFully(source, HAND_OFF.take());
  return evaluateNode(tree);
}

/** One for all calls: evaluating never overlaps itself. */
const HAND_OFF = new HandOff();

/**
 * Parses any input, with CPython's errors; slower than `fastParse()`. The
 * tokens `fastParse()` read before it gave up, in `prefix`, are not read
 * again.
 */
function parseFully(source: string, prefix?: TokenPrefix): Node {
  const tokens = tokenize(source, prefix);
  // eval() strips leading spaces and tabs; nothing else means empty.
  const empty = tokens.kinds.length === 1 && /^[ \t]*$/.test(source);
  return parse(tokens, empty);
}

/**
 * Evaluates `source` and returns the reply line: `repr()` of the value, or
 * `ERR <PythonType>: <message>`. Never throws, and the reply never holds a
 * line break.
 *
 * @example
 * ```ts
 * import { evaluateToReply } from "./evaluate.ts";
 * evaluateToReply("1/0"); // "ERR ZeroDivisionError: division by zero"
 * ```
 */
export function evaluateToReply(source: string): string {
  try {
    // No repr() holds a line break; only a message can.
    return repr(evaluate(source));
  } catch (error) {
    return errorReply(error);
  }
}

function errorReply(error: unknown): string {
  // The message alone is searched for line breaks: searching the joined
  // reply would first copy it into one flat string.
  if (error instanceof PyException) {
    return `ERR ${error.pythonType}: ${oneLine(error.message)}`;
  }
  const detail = error instanceof Error ? error.message : String(error);
  return `ERR InternalError: ${oneLine(detail)}`;
}

function oneLine(reply: string): string {
  const broken = reply.includes("\n") || reply.includes("\r");
  return broken ? reply.replace(/[\r\n]+/g, " ") : reply;
}

function evaluateNode(node: Node): PyValue {
  switch (node.kind) {
    case NodeKind.Constant:
      return node.value;
    case NodeKind.Name:
      return lookUp(node.name);
    case NodeKind.Attribute:
      return getAttribute(evaluateNode(node.object), node.name);
    case NodeKind.Call:
      return call(node);
    case NodeKind.Unary: {
      let value = evaluateNode(node.operand);
      for (let i = node.ops.length - 1; i >= 0; i--) {
        value = unaryOp(node.ops[i], value);
      }
      return value;
    }
    case NodeKind.Binary: {
      let value = evaluateNode(node.operands[0]);
      for (let i = 0; i < node.ops.length; i++) {
        value = binaryOp(
          node.ops[i],
          value,
          evaluateNode(node.operands[i + 1]),
        );
      }
      return value;
    }
    case NodeKind.Power:
      return power(node.operands, node.prefixes);
    case NodeKind.Compare:
      return compareChain(node.ops, node.operands);
    case NodeKind.BoolOp:
      return boolOp(node.isAnd, node.operands);
    case NodeKind.Not: {
      const value = truthy(evaluateNode(node.operand));
      return node.count % 2 === 0 ? value : !value;
    }
    case NodeKind.IfElse:
      for (let i = 0; i < node.tests.length; i++) {
        if (truthy(evaluateNode(node.tests[i]))) {
          return evaluateNode(node.bodies[i]);
        }
      }
      return evaluateNode(node.orElse);
    case NodeKind.Tuple:
      return new PyTuple(node.items.map(evaluateNode));
  }
}

function lookUp(name: string): PyValue {
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

function getAttribute(object: PyValue, name: string): PyValue {
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
const NO_KEYWORDS: PyKeywords = new Map();

function call(node: Node & { kind: NodeKind.Call }): PyValue {
  const callee = evaluateNode(node.callee);
  const args = evaluateArgs(node.args);
  const keywords = node.keywordNames.length === 0
    ? NO_KEYWORDS
    : evaluateKeywords(node.keywordNames, node.keywordValues);
  if (!(callee instanceof PyFunction)) {
    throw makePyException(
      "TypeError",
      `'${typeName(callee)}' object is not callable`,
    );
  }
  return callee.call(args, keywords);
}

/**
 * The values of `nodes`, in order. Most calls have one or two arguments,
 * whose array literals cost less than `map()`, which V8 does not always
 * inline at this megamorphic site.
 */
function evaluateArgs(nodes: readonly Node[]): PyValue[] {
  switch (nodes.length) {
    case 0:
      return [];
    case 1:
      return [evaluateNode(nodes[0])];
    case 2: {
      const first = evaluateNode(nodes[0]);
      return [first, evaluateNode(nodes[1])];
    }
  }
  return nodes.map(evaluateNode);
}

function evaluateKeywords(
  names: readonly string[],
  values: readonly Node[],
): PyKeywords {
  const keywords = new Map<string, PyValue>();
  for (let i = 0; i < names.length; i++) {
    keywords.set(names[i], evaluateNode(values[i]));
  }
  return keywords;
}

/** `a ** Ub b ** Uc c`: operands left to right, then folded from the right. */
function power(
  operands: readonly Node[],
  prefixes: readonly (readonly string[])[],
): PyValue {
  const values = operands.map(evaluateNode);
  let value = values[values.length - 1];
  for (let i = values.length - 1; i >= 1; i--) {
    const ops = prefixes[i - 1];
    for (let j = ops.length - 1; j >= 0; j--) value = unaryOp(ops[j], value);
    value = binaryOp("**", values[i - 1], value);
  }
  return value;
}

function compareChain(
  ops: readonly string[],
  operands: readonly Node[],
): boolean {
  let left = evaluateNode(operands[0]);
  for (let i = 0; i < ops.length; i++) {
    const right = evaluateNode(operands[i + 1]);
    if (!compareOp(ops[i], left, right)) return false;
    left = right;
  }
  return true;
}

function boolOp(isAnd: boolean, operands: readonly Node[]): PyValue {
  let value = evaluateNode(operands[0]);
  for (let i = 1; i < operands.length; i++) {
    if (truthy(value) !== isAnd) return value;
    value = evaluateNode(operands[i]);
  }
  return value;
}
