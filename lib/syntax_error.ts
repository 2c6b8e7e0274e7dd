/**
 * CPython's `SyntaxError` as `eval()` reports it.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { PyException } from "./py_value.ts";

/**
 * Builds the exception CPython raises for a syntax problem on `line`:
 * `SyntaxError: invalid syntax (<string>, line 1)`.
 */
export function syntaxError(
  message: string,
  line: number,
  pythonType = "SyntaxError",
): PyException {
  return makePyException(pythonType, `${message} (<string>, line ${line})`);
}
