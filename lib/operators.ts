/**
 * The binding power of Python's binary and boolean operators, shared by
 * both parsers: higher binds tighter.
 *
 * @module
 */

/** Binding power of `or`. */
export const OR = 1;
/** Binding power of `and`. */
export const AND = 2;
/** Binding power of a prefix `not`. */
export const NOT = 3;
/** Binding power of comparisons. */
export const COMPARE = 4;

/** Binding power of each binary operator the fast parser takes; higher binds tighter. */
export const PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ["or", OR],
  ["and", AND],
  ["<", COMPARE],
  ["<=", COMPARE],
  [">", COMPARE],
  [">=", COMPARE],
  ["==", COMPARE],
  ["!=", COMPARE],
  ["in", COMPARE],
  ["is", COMPARE],
  ["|", 5],
  ["^", 6],
  ["&", 7],
  ["<<", 8],
  [">>", 8],
  ["+", 9],
  ["-", 9],
  ["*", 10],
  ["/", 10],
  ["//", 10],
  ["%", 10],
]);
