/**
 * `repr()` of calculator values, character for character as CPython 3.11
 * prints them.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { chargeWork } from "./limits.ts";
import { isBuiltinClass, PyFunction, PyModule, PyTuple } from "./py_value.ts";
import type { PyValue } from "./py_value.ts";

/** CPython's default `sys.get_int_max_str_digits()`. */
const MAX_STR_DIGITS = 4300;

/** 2**14300 has more than 4300 decimal digits: refuse without converting. */
const TOO_MANY_DIGITS = 1n << 14300n;

/**
 * The text CPython's `repr()` gives for `value`.
 *
 * @example
 * ```ts
 * import { repr } from "./py_repr.ts";
 * repr(1e16); // "1e+16"
 * ```
 */
export function repr(value: PyValue): string {
  switch (typeof value) {
    case "boolean":
      return value ? "True" : "False";
    case "bigint":
      return intRepr(value);
    case "number":
      return floatRepr(value);
  }
  if (value instanceof PyTuple) return tupleRepr(value);
  if (value instanceof PyFunction) {
    if (isBuiltinClass(value)) return `<class '${value.name}'>`;
    return `<built-in function ${value.name}>`;
  }
  if (value instanceof PyModule) return `<module '${value.name}' (built-in)>`;
  throw new TypeError(`Unknown calculator value: ${String(value)}`);
}

/** Ints of this magnitude or less are exact as floats. */
const EXACT_FLOAT_INT = (1n << 53n) - 1n;
const MINUS_EXACT_FLOAT_INT = -EXACT_FLOAT_INT;

function intRepr(n: bigint): string {
  // A small int prints quicker as a float: `toString()` on a `bigint`
  // calls into the runtime.
  if (n <= EXACT_FLOAT_INT && n >= MINUS_EXACT_FLOAT_INT) {
    return String(Number(n));
  }
  const magnitude = n < 0n ? -n : n;
  const text = magnitude >= TOO_MANY_DIGITS ? "" : magnitude.toString();
  if (text === "" || text.length > MAX_STR_DIGITS) {
    throw makePyException(
      "ValueError",
      "Exceeds the limit (4300 digits) for integer string conversion; " +
        "use sys.set_int_max_str_digits() to increase the limit",
    );
  }
  return n < 0n ? "-" + text : text;
}

function tupleRepr(tuple: PyTuple): string {
  const items = tuple.items;
  chargeWork(items.length * 0.05, "repr()");
  if (items.length === 1) return `(${repr(items[0])},)`;
  return `(${items.map(repr).join(", ")})`;
}

/**
 * The shortest text that reads back as `x`, in CPython's format: `1.0`,
 * `1e+16`, `1e-05`, `inf`, `nan`, `-0.0`.
 */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    // Here JavaScript, like Python, writes the shortest round-trip digits
    // without an exponent; only Python's ".0" on integral values differs.
    const text = String(x);
    return Number.isInteger(x) ? text + ".0" : text;
  }

  // toExponential() without digits gives the shortest round-trip digits.
  const sign = x < 0 ? "-" : "";
  const text = magnitude.toExponential();
  const e = text.indexOf("e");
  const digits = text[0] + text.slice(2, e);
  const exponent = Number(text.slice(e + 1));
  return sign + formatDigits(digits, exponent);
}

/** Places the decimal point as CPython's `repr` does for `d.ddd * 10**exponent`. */
function formatDigits(digits: string, exponent: number): string {
  if (exponent < -4 || exponent >= 16) {
    const mantissa = digits.length > 1
      ? `${digits[0]}.${digits.slice(1)}`
      : digits;
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  if (exponent < 0) return `0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return `${whole}.${fraction === "" ? "0" : fraction}`;
}
