/**
 * Conversions between calculator values that follow CPython's rules and
 * raise CPython's exceptions, shared by the evaluator and the `math` module.
 *
 * @module
 */

import {
  isBuiltinClass,
  PyException,
  PyFunction,
  PyModule,
  PyTuple,
  type PyValue,
} from "./py_value.ts";

/** The name CPython gives the type of `value`, as in `type(value).__name__`. */
export function typeName(value: PyValue): string {
  switch (typeof value) {
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float";
  }
  if (value instanceof PyTuple) return "tuple";
  if (value instanceof PyFunction) {
    return isBuiltinClass(value) ? "type" : "builtin_function_or_method";
  }
  if (value instanceof PyModule) return "module";
  throw new TypeError(`Unknown calculator value: ${String(value)}`);
}

/** Whether `value` is a Python int, `bool` included. */
export function isInt(value: PyValue): value is bigint | boolean {
  return typeof value === "bigint" || typeof value === "boolean";
}

/**
 * Converts an int or a bool to a `bigint`, as CPython's `__index__` does;
 * anything else raises CPython's `TypeError`.
 */
export function toIndex(value: PyValue): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "boolean") return value ? 1n : 0n;
  throw new PyException(
    "TypeError",
    `'${typeName(value)}' object cannot be interpreted as an integer`,
  );
}

/**
 * Converts an int to the nearest float, ties to even, raising CPython's
 * `OverflowError` when it is beyond the largest finite float.
 */
export function bigintToFloat(n: bigint): number {
  // Number(bigint) rounds to nearest, ties to even, as CPython does.
  const x = Number(n);
  if (!Number.isFinite(x)) {
    throw new PyException("OverflowError", "int too large to convert to float");
  }
  return x;
}

/**
 * Converts a real number (bool, int or float) to a float, as the `math`
 * functions do with their arguments; anything else raises CPython's
 * `TypeError: must be real number, not tuple`.
 */
export function toFloat(value: PyValue): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return bigintToFloat(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  throw new PyException(
    "TypeError",
    `must be real number, not ${typeName(value)}`,
  );
}

/**
 * Converts a finite float to the int it truncates to, as `int(x)` does,
 * raising CPython's errors for infinities and NaN.
 */
export function floatToBigint(x: number): bigint {
  if (Number.isNaN(x)) {
    throw new PyException("ValueError", "cannot convert float NaN to integer");
  }
  if (!Number.isFinite(x)) {
    throw new PyException(
      "OverflowError",
      "cannot convert float infinity to integer",
    );
  }
  return BigInt(Math.trunc(x));
}
