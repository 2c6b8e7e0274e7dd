/**
 * Evaluates calculator expressions: Python arithmetic with the answers and
 * errors of CPython 3.11's `repr(eval(expression, NS))`.
 *
 * `NS` holds the builtins `abs bool divmod float int max min pow round`,
 * the module `math`, and every public name of `math` bound bare as well
 * (`sqrt(2)`), except that bare `pow` stays the builtin. Names are looked up
 * only in the tables of `namespace.ts`, so no expression can reach a
 * JavaScript object.
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
 *   `MemoryError`.
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

import {
  FAST_EVALUATION_LIMIT,
  fastEvaluate,
  GAVE_UP,
} from "./fast_evaluator.ts";
import { fastParse } from "./fast_parser.ts";
import { resetBudget } from "./limits.ts";
import {
  callValue,
  foldPower,
  getAttribute,
  keywordsOf,
  lookUp,
} from "./namespace.ts";
import { HandOff, type TokenPrefix } from "./parse_tokens.ts";
import { parse } from "./parser.ts";
import { binaryOp, compareOp, truthy, unaryOp } from "./py_ops.ts";
import { repr } from "./py_repr.ts";
import { PyException, PyTuple, type PyValue } from "./py_value.ts";
import { type Node, NodeKind } from "./syntax_tree.ts";
import { tokenize } from "./tokenizer.ts";

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
  const outcome = evaluateOrRaise(source);
  if (outcome instanceof PyException) throw outcome;
  return outcome;
}

/**
 * The value of `source`, or the exception CPython would raise for it,
 * thrown by the long way and returned by the short one.
 */
function evaluateOrRaise(source: string): PyValue | PyException {
  if (source.length < FAST_EVALUATION_LIMIT) {
    const outcome = fastEvaluate(source);
    if (outcome !== GAVE_UP) return outcome;
  }
  return evaluateByTree(source);
}

/**
 * Evaluates `source` the long way, through a syntax tree: the reference
 * that `fastEvaluate()` is tested against, and the way for long inputs.
 *
 * @example
 * ```ts
 * import { evaluateByTree } from "./evaluate.ts";
 * evaluateByTree("2 ** 10"); // 1024n
 * ```
 */
export function evaluateByTree(source: string): PyValue {
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
    const outcome = evaluateOrRaise(source);
    // No repr() holds a line break; only a message can.
    if (outcome instanceof PyException) return errorReply(outcome);
    return repr(outcome);
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

function call(node: Node & { kind: NodeKind.Call }): PyValue {
  const callee = evaluateNode(node.callee);
  const args = evaluateArgs(node.args);
  const keywords = keywordsOf(
    node.keywordNames,
    evaluateArgs(node.keywordValues),
  );
  const result = callValue(callee, args, keywords);
  if (result instanceof PyException) throw result;
  return result;
}

/**
 * The values of `nodes`, in order: a call's arguments or its keywords'
 * values. Most calls have one or two arguments,
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

/** `a ** Ub b ** Uc c`: operands left to right, then folded from the right. */
function power(
  operands: readonly Node[],
  prefixes: readonly (readonly string[])[],
): PyValue {
  return foldPower(operands.map(evaluateNode), prefixes);
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
