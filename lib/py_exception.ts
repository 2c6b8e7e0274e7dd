/**
 * A fast way to build the `PyException`s the evaluator raises.
 *
 * @module
 */

import { PyException } from "./py_value.ts";

/**
 * Builds a `PyException` of `pythonType` with `message`, as
 * `new PyException(pythonType, message)` would but without running the
 * `Error` constructor: under Deno that constructor captures a detailed stack
 * trace, which costs microseconds, while an error reply such as
 * `1/0` should cost no more than a result. The exception has no `stack`;
 * nothing reads it, because every one becomes a reply.
 *
 * `kind` picks a subclass of `PyException` that adds no fields.
 *
 * @example
 * ```ts
 * import { makePyException } from "./py_exception.ts";
 * const error = makePyException("ZeroDivisionError", "division by zero");
 * error.pythonType; // "ZeroDivisionError"
 * ```
 */
export function makePyException(
  pythonType: string,
  message: string,
  kind: typeof PyException = PyException,
): PyException {
  const error = Object.create(kind.prototype);
  error.pythonType = pythonType;
  error.message = message;
  error.name = "PyException";
  return error;
}
