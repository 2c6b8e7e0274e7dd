/**
 * Python's operators on calculator values: arithmetic, bitwise, unary,
 * comparison and truth, with CPython's type rules and messages.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import {
  bitLength,
  chargeLinear,
  chargeWork,
  checkResultBits,
  checkTupleLength,
  isCheap,
  multiplyMicros,
} from "./limits.ts";
import {
  floatFloorDivide,
  floatModulo,
  floatPower,
  floatTrueDivide,
  intFloorDivide,
  intModulo,
  intPower,
  intTrueDivide,
} from "./py_arith.ts";
import { bigintToFloat, typeName } from "./py_convert.ts";
import { PyTuple, type PyValue } from "./py_value.ts";

/** Python's truth value of `value`, as `bool(value)` gives it. */
export function truthy(value: PyValue): boolean {
  switch (typeof value) {
    case "boolean":
      return value;
    case "bigint":
      return value !== 0n;
    case "number":
      return value !== 0;
  }
  return value instanceof PyTuple ? value.items.length > 0 : true;
}

function isNumeric(value: PyValue): value is boolean | bigint | number {
  const type = typeof value;
  return type === "bigint" || type === "number" || type === "boolean";
}

function asInt(value: boolean | bigint): bigint {
  return typeof value === "bigint" ? value : value ? 1n : 0n;
}

function asFloat(value: boolean | bigint | number): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  return bigintToFloat(value);
}

function unsupportedOperands(op: string, a: PyValue, b: PyValue): never {
  const name = op === "**" ? "** or pow()" : op;
  throw makePyException(
    "TypeError",
    `unsupported operand type(s) for ${name}: '${typeName(a)}' and '${
      typeName(b)
    }'`,
  );
}

/** Applies the binary operator `op` (`+`, `**`, `&`, ...) to `a` and `b`. */
export function binaryOp(op: string, a: PyValue, b: PyValue): PyValue {
  if (typeof a === "bigint" && typeof b === "bigint") return intOp(op, a, b);
  if (isNumeric(a) && isNumeric(b)) {
    if (typeof a === "number" || typeof b === "number") {
      return floatOp(op, a, b);
    }
    if (op === "&" || op === "|" || op === "^") {
      if (typeof a === "boolean" && typeof b === "boolean") {
        return op === "&" ? a && b : op === "|" ? a || b : a !== b;
      }
    }
    return intOp(op, asInt(a), asInt(b));
  }
  return sequenceOp(op, a, b);
}

function intOp(op: string, a: bigint, b: bigint): PyValue {
  switch (op) {
    case "+":
      chargeLinear(a, b, op);
      return a + b;
    case "-":
      chargeLinear(a, b, op);
      return a - b;
    case "*":
      return intMultiply(a, b);
    case "/":
      return intTrueDivide(a, b);
    case "//":
      return intFloorDivide(a, b);
    case "%":
      return intModulo(a, b);
    case "**":
      return intPower(a, b);
    case "<<":
      return shiftLeft(a, b);
    case ">>":
      return shiftRight(a, b);
    case "&":
      chargeLinear(a, b, op);
      return a & b;
    case "|":
      chargeLinear(a, b, op);
      return a | b;
    case "^":
      chargeLinear(a, b, op);
      return a ^ b;
  }
  return unsupportedOperands(op, a, b);
}

function intMultiply(a: bigint, b: bigint): bigint {
  if (!isCheap(a) || !isCheap(b)) {
    const aBits = bitLength(a);
    const bBits = bitLength(b);
    checkResultBits(aBits + bBits, "*");
    chargeWork(multiplyMicros(aBits, bBits), "*");
  }
  return a * b;
}

function shiftLeft(a: bigint, b: bigint): bigint {
  if (b < 0n) throw makePyException("ValueError", "negative shift count");
  if (a === 0n || b === 0n) return a;
  if (b >= HUGE_SHIFT && overCPythonIntSize(a, b)) {
    throw makePyException("OverflowError", "too many digits in integer");
  }
  checkResultBits(bitLength(a) + Number(b), "<<");
  return a << b;
}

// CPython keeps an int in 30-bit digits and refuses to make one of more than
// (2**63 - 1 - 24) // 4 digits (a 64-bit build's MAX_LONG_DIGITS) before
// allocating it. A shift of 2**63 bits or more first has its count of whole
// digits clipped to (2**63 - 1) // 4.
const CPYTHON_DIGIT_BITS = 30n;
const CPYTHON_MAX_DIGITS = 2305843009213693945n;
const CPYTHON_MAX_DIGIT_SHIFT = 2305843009213693951n;
// Far below any shift CPython refuses for an int the calculator can hold:
// the test that spares every ordinary shift the digit arithmetic.
const HUGE_SHIFT = 1n << 62n;

/**
 * Whether CPython answers `a << shift` at once with OverflowError. Shifts a
 * little smaller are answered by CPython with MemoryError, or after a long
 * time; the calculator refuses those with LimitError.
 */
function overCPythonIntSize(a: bigint, shift: bigint): boolean {
  let digitShift = shift / CPYTHON_DIGIT_BITS;
  let bitShift = shift % CPYTHON_DIGIT_BITS;
  if (digitShift >= CPYTHON_MAX_DIGIT_SHIFT) {
    digitShift = CPYTHON_MAX_DIGIT_SHIFT;
    bitShift = 0n;
  }
  const digits = (BigInt(bitLength(a)) + CPYTHON_DIGIT_BITS - 1n) /
    CPYTHON_DIGIT_BITS;
  const extra = bitShift === 0n ? 0n : 1n;
  return digits + digitShift + extra > CPYTHON_MAX_DIGITS;
}

function shiftRight(a: bigint, b: bigint): bigint {
  if (b < 0n) throw makePyException("ValueError", "negative shift count");
  if (b >= BigInt(bitLength(a))) return a < 0n ? -1n : 0n;
  chargeLinear(a, 0n, ">>");
  return a >> b;
}

function floatOp(
  op: string,
  a: boolean | bigint | number,
  b: boolean | bigint | number,
): PyValue {
  switch (op) {
    case "+":
      return asFloat(a) + asFloat(b);
    case "-":
      return asFloat(a) - asFloat(b);
    case "*":
      return asFloat(a) * asFloat(b);
    case "/":
      return floatTrueDivide(asFloat(a), asFloat(b));
    case "//":
      return floatFloorDivide(asFloat(a), asFloat(b));
    case "%":
      return floatModulo(asFloat(a), asFloat(b));
    case "**":
      return floatPower(asFloat(a), asFloat(b));
  }
  return unsupportedOperands(op, a, b);
}

/** `+` and `*` on tuples; every other mix of types is a `TypeError`. */
function sequenceOp(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === "+" && a instanceof PyTuple) {
    if (!(b instanceof PyTuple)) {
      throw makePyException(
        "TypeError",
        `can only concatenate tuple (not "${typeName(b)}") to tuple`,
      );
    }
    checkTupleLength(a.items.length + b.items.length, "+");
    return new PyTuple([...a.items, ...b.items]);
  }
  if (op === "*") {
    if (a instanceof PyTuple) return repeat(a, b);
    if (b instanceof PyTuple) return repeat(b, a);
  }
  return unsupportedOperands(op, a, b);
}

function repeat(tuple: PyTuple, count: PyValue): PyTuple {
  if (typeof count !== "bigint" && typeof count !== "boolean") {
    throw makePyException(
      "TypeError",
      `can't multiply sequence by non-int of type '${typeName(count)}'`,
    );
  }
  const n = asInt(count);
  if (n >= 1n << 63n || n < -(1n << 63n)) {
    throw makePyException(
      "OverflowError",
      "cannot fit 'int' into an index-sized integer",
    );
  }
  if (n <= 0n || tuple.items.length === 0) return new PyTuple([]);
  checkTupleLength(tuple.items.length * Number(n), "*");
  const items: PyValue[] = [];
  for (let i = Number(n); i > 0; i--) items.push(...tuple.items);
  return new PyTuple(items);
}

/** Applies the prefix operator `op` (`-`, `+` or `~`) to `value`. */
export function unaryOp(op: string, value: PyValue): PyValue {
  if (typeof value === "number" && op !== "~") {
    return op === "-" ? -value : value;
  }
  if (typeof value === "bigint" || typeof value === "boolean") {
    const n = asInt(value);
    chargeLinear(n, 0n, op);
    return op === "-" ? -n : op === "+" ? n : ~n;
  }
  throw makePyException(
    "TypeError",
    `bad operand type for unary ${op}: '${typeName(value)}'`,
  );
}

/**
 * Compares an int with a float exactly: -1, 0 or 1, or `NaN` when `x` is
 * NaN. Converting the int to a float could round and lie.
 */
function compareIntFloat(a: bigint, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return -1;
  if (x === -Infinity) return 1;
  const floor = Math.floor(x);
  const f = BigInt(floor);
  if (a < f) return -1;
  if (a > f) return 1;
  return floor === x ? 0 : -1;
}

/** Compares two real numbers exactly: -1, 0, 1, or `NaN` if unordered. */
function compareNumbers(
  a: boolean | bigint | number,
  b: boolean | bigint | number,
): number {
  if (typeof a === "number" && typeof b === "number") {
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : NaN;
  }
  if (typeof a === "number") return -compareIntFloat(asInt(b as bigint), a);
  if (typeof b === "number") return compareIntFloat(asInt(a), b);
  const x = asInt(a);
  const y = asInt(b);
  chargeLinear(x, y, "comparison");
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Python's `a == b`. */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) === 0;
  if (a instanceof PyTuple && b instanceof PyTuple) {
    if (a.items.length !== b.items.length) return false;
    chargeWork(a.items.length * 0.01, "comparison");
    for (let i = 0; i < a.items.length; i++) {
      if (!pyEquals(a.items[i], b.items[i])) return false;
    }
    return true;
  }
  return a === b;
}

/** Applies the comparison `op` (`<`, `==`, `in`, ...) to `a` and `b`. */
export function compareOp(op: string, a: PyValue, b: PyValue): boolean {
  switch (op) {
    case "==":
      return pyEquals(a, b);
    case "!=":
      return !pyEquals(a, b);
    case "in":
      return contains(b, a);
    case "not in":
      return !contains(b, a);
    case "is":
    case "is not":
      throw makePyException(
        "UnsupportedError",
        "the 'is' operator is not supported by the calculator",
      );
  }
  return order(op, a, b);
}

function contains(container: PyValue, item: PyValue): boolean {
  if (!(container instanceof PyTuple)) {
    throw makePyException(
      "TypeError",
      `argument of type '${typeName(container)}' is not iterable`,
    );
  }
  chargeWork(container.items.length * 0.01, "in");
  return container.items.some((x) => pyEquals(x, item));
}

/** `<`, `<=`, `>`, `>=` on numbers, or lexicographically on tuples. */
function order(op: string, a: PyValue, b: PyValue): boolean {
  if (isNumeric(a) && isNumeric(b)) {
    const c = compareNumbers(a, b);
    switch (op) {
      case "<":
        return c < 0;
      case "<=":
        return c <= 0;
      case ">":
        return c > 0;
      default:
        return c >= 0;
    }
  }
  if (a instanceof PyTuple && b instanceof PyTuple) {
    const n = Math.min(a.items.length, b.items.length);
    chargeWork(n * 0.01, "comparison");
    for (let i = 0; i < n; i++) {
      if (!pyEquals(a.items[i], b.items[i])) {
        return order(op, a.items[i], b.items[i]);
      }
    }
    return order(op, BigInt(a.items.length), BigInt(b.items.length));
  }
  throw makePyException(
    "TypeError",
    `'${op}' not supported between instances of '${typeName(a)}' and '${
      typeName(b)
    }'`,
  );
}
