/**
 * The values a calculator expression can produce, modelled on Python's.
 *
 * Python's `bool` is a JavaScript `boolean`, `int` is a `bigint` (unbounded
 * and exact), `float` is a `number`, a tuple is a `PyTuple`, and the builtins
 * and the `math` module are `PyFunction` and `PyModule`. Keeping ints and
 * floats as distinct JavaScript types is what lets `2` and `2.0` print
 * differently, as they do in Python.
 *
 * @module
 */

/** Any value an expression can evaluate to. */
export type PyValue =
  | boolean
  | bigint
  | number
  | PyTuple
  | PyFunction
  | PyModule;

/** A Python tuple: an immutable sequence of values. */
export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

/** Keyword arguments of a call, by name, in the order they were written. */
export type PyKeywords = ReadonlyMap<string, PyValue>;

/**
 * A built-in function such as `abs` or `math.sqrt`. Its body may return
 * the exception it raises instead of throwing it, as the commonest errors
 * of `math` do (`sqrt(-1)`, `log(0)`): a throw costs more than the whole
 * call, and the fast evaluator (`fast_evaluator.ts`) takes the exception
 * as it comes, through `apply()`.
 */
export class PyFunction {
  constructor(
    readonly name: string,
    /** The body: the value, or the exception raised, returned or thrown. */
    readonly apply: (
      args: readonly PyValue[],
      keywords: PyKeywords,
    ) => PyValue | PyException,
  ) {}

  /** The value of the call, or the exception it raises, thrown. */
  call(args: readonly PyValue[], keywords: PyKeywords): PyValue {
    const result = this.apply(args, keywords);
    if (result instanceof PyException) throw result;
    return result;
  }
}

const CLASS_NAMES: ReadonlySet<string> = new Set(["int", "float", "bool"]);

/**
 * Whether a builtin is one of Python's classes (`int`, `float`, `bool`),
 * whose type is `type`, rather than a function.
 */
export function isBuiltinClass(value: PyFunction): boolean {
  return CLASS_NAMES.has(value.name);
}

/** A module such as `math`: a name and its attributes. */
export class PyModule {
  constructor(
    readonly name: string,
    readonly attributes: ReadonlyMap<string, PyValue>,
  ) {}
}

/**
 * A Python exception raised while evaluating an expression.
 *
 * `pythonType` is the name of the CPython exception class (`ZeroDivisionError`)
 * and `message` is what CPython's `str()` of the exception prints, so a reply
 * reads `ERR ZeroDivisionError: division by zero`. The evaluator also uses
 * names of its own for what CPython would accept but the calculator refuses
 * (`UnsupportedError`, `LimitError`).
 */
export class PyException extends Error {
  constructor(readonly pythonType: string, message: string) {
    super(message);
    this.name = "PyException";
  }
}
