/**
 * Parses a calculator expression into a syntax tree, accepting what
 * CPython's `eval()` accepts and failing with CPython's `SyntaxError`.
 *
 * Grammar and precedence, loosest first (as in Python):
 *
 *     expressions := expression ("," expression)* [","]     a tuple if a comma
 *     expression  := disjunction ["if" disjunction "else" expression]
 *     or, and                                 n-ary, short-circuit
 *     not x                                   prefix
 *     < <= > >= == != in "not in" is "is not" chained: 1 < x < 3
 *     | ^ & (<< >>) (+ -) (* / // % @)        left-associative
 *     - + ~                                   prefix
 *     **                                      right-associative; binds
 *                                             tighter than a unary on its
 *                                             left (-2**2 == -4), looser
 *                                             than one on its right (2**-1)
 *     primary     := atom ("." NAME | "(" arguments ")" | "[" ... "]")*
 *
 * Binary operators are parsed by precedence climbing over `PRECEDENCE`;
 * runs of one precedence become one flat node. Constructs the calculator
 * does not support (strings, lists, lambdas, ...) are parsed far enough to
 * find syntax errors after them, then refused with `UnsupportedError`.
 *
 * The rules live in modules by layer, all working on one `ParserState`:
 * `parser_operators.ts` (everything from tuples down to `**`),
 * `parser_calls.ts` (attributes, calls, subscripts), `parser_atoms.ts`
 * (literals and brackets) and `parser_errors.ts` (CPython's messages).
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import { failAt } from "./parser_errors.ts";
import { parseExpressions } from "./parser_operators.ts";
import { ParserState } from "./parser_state.ts";
import { MAX_COMPILE_DEPTH, type Node, tooDeepError } from "./syntax_tree.ts";
import { TokenKind, type Tokens } from "./parse_tokens.ts";

export { MAX_COMPILE_DEPTH, tooDeepError };

/**
 * Parses the tokens of one expression, raising `SyntaxError` as CPython
 * would, `RecursionError` when CPython's compiler would give up, and
 * `UnsupportedError` for valid Python the calculator does not handle.
 * `emptySource` says the source held only spaces and tabs, which CPython
 * reports on line 0.
 *
 * @example
 * ```ts
 * import { parse } from "./parser.ts";
 * import { tokenize } from "./tokenizer.ts";
 * parse(tokenize("1 + 2")).depth; // 2
 * ```
 */
export function parse(tokens: Tokens, emptySource = false): Node {
  const p = new ParserState(tokens, emptySource);
  const node = parseExpressions(p, false);
  while (p.kind() === TokenKind.Newline) p.i++;
  if (p.kind() !== TokenKind.End) failAt(p);
  if (p.compileError) throw p.compileError;
  if (node.depth > MAX_COMPILE_DEPTH) throw tooDeepError();
  if (p.unsupported !== undefined) {
    throw makePyException("UnsupportedError", p.unsupported);
  }
  return node;
}
