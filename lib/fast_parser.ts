/**
 * A one-pass parser for the expressions people usually type, reading
 * characters straight into the syntax tree without a token list.
 *
 * It knows only a subset of the calculator's language, on one line: number
 * literals (the unusual ones through `number_literal.ts`), ASCII names,
 * parentheses, calls with positional and keyword arguments, attributes,
 * tuples, the arithmetic, bitwise and comparison operators, `not`, `and`,
 * `or` and `a if b else c`, and plain strings and subscripts, which it
 * parses only to refuse them as `parse()` does. Its rules mirror those of
 * `parser.ts` one for one, so on that subset it builds the very tree
 * `parse()` builds. Anything else, and nearly every error, makes it give up
 * and return `undefined`; the caller then parses the input again with the
 * full tokenizer and parser, which produce CPython's exact errors. Giving
 * up is therefore always safe. It reports two errors itself, where the
 * full parser's answer is certain: the commonest syntax error, an input
 * that ends too early (`2 +`), and a tree nested deeper than CPython
 * compiles (`RecursionError`).
 *
 * Short inputs are first tried by the fast evaluator (`fast_evaluator.ts`),
 * which reads the same subset without building a tree; they come here when
 * it gives up. Long inputs come here first, even though people do not type
 * them: an input built to be slow then costs one quick pass instead of the
 * full tokenizer's and parser's. When it gives up on a long input, the
 * tokens it has read go to the tokenizer, which goes on from where it
 * stopped, so that only the full parser reads the input a second time.
 *
 * @module
 */

import { FastParserBase } from "./fast_parser_atoms.ts";
import { Token } from "./fast_scanner.ts";
import { AND, COMPARE, OR } from "./operators.ts";
import type { HandOff } from "./parse_tokens.ts";
import { makePyException } from "./py_exception.ts";
import { syntaxError } from "./syntax_error.ts";
import {
  chainDepth,
  ifElseDepth,
  MAX_COMPILE_DEPTH,
  maxDepth,
  type Node,
  NodeKind,
  tooDeepError,
} from "./syntax_tree.ts";

/**
 * Inputs this long or longer have their tokens kept while they are parsed,
 * to be handed to the tokenizer if the fast parser gives up; for shorter
 * ones, reading them again costs less than keeping them.
 */
const RECORD_FROM = 512;

/**
 * Parses `source` when it lies in the common subset, giving the tree
 * `parse(tokenize(source))` would give, or `undefined` when it does not.
 * Throws what `parse()` would throw for an input that ends too early
 * (`SyntaxError`), for a tree too deep to compile (`RecursionError`) and
 * for strings and subscripts (`UnsupportedError`). When it gives up on a
 * long input, it leaves the tokens it read in `handOff`, for
 * `tokenize(source, handOff.take())`.
 *
 * @example
 * ```ts
 * import { fastParse } from "./fast_parser.ts";
 * fastParse("1 + 2")?.kind; // NodeKind.Binary
 * fastParse("[1, 2]"); // undefined: lists are left to the full parser
 * ```
 */
export function fastParse(
  source: string,
  handOff?: HandOff,
): Node | undefined {
  const record = handOff !== undefined && source.length >= RECORD_FROM;
  const parser = PARSER;
  parser.start(source, record);
  const tree = parser.parseAll();
  if (parser.endsTooEarly()) throw syntaxError("invalid syntax", 1);
  if (tree === undefined) {
    if (handOff !== undefined) handOff.prefix = parser.prefix();
    return undefined;
  }
  // `parse()` would build this very tree, then refuse it in this order.
  if (tree.depth > MAX_COMPILE_DEPTH) throw tooDeepError();
  const unsupported = parser.unsupported();
  if (unsupported !== undefined) {
    // A NUL byte, inside a string, say, is CPython's first complaint.
    if (source.includes("\0")) return undefined;
    throw makePyException("UnsupportedError", unsupported);
  }
  return tree;
}

/** Reads input after input; it is never used by two calls at once. */
class FastParser extends FastParserBase {
  parseAll(): Node | undefined {
    const node = this.expressions();
    return this.scan.kind === Token.End ? node : undefined;
  }

  // Expressions, loosest first, as in `parser_operators.ts`.

  /** A tuple when there is a comma, else one expression. */
  protected override expressions(): Node {
    const first = this.expression();
    if (!this.isOp(",")) return first;
    const items = this.tupleItems(first);
    return { kind: NodeKind.Tuple, depth: 1 + maxDepth(items), items };
  }

  protected override expression(): Node {
    const body = this.binary(OR);
    if (!this.isKeyword("if")) return body;
    this.sawIf = true;
    const bodies = [body];
    const tests: Node[] = [];
    for (;;) {
      this.scan.next();
      tests.push(this.binary(OR));
      if (!this.isKeyword("else")) this.giveUp();
      this.scan.next();
      const next = this.binary(OR);
      if (!this.isKeyword("if")) {
        const depth = ifElseDepth(bodies, tests, next);
        return { kind: NodeKind.IfElse, depth, bodies, tests, orElse: next };
      }
      bodies.push(next);
    }
  }

  /** Precedence climbing over binary operators binding at least `min`. */
  private binary(min: number): Node {
    let left = this.atPlainOperand()
      ? this.plainOperand()
      : this.notOperand(min);
    for (;;) {
      const precedence = this.infixPrecedence();
      if (precedence === 0 || precedence < min) return left;
      if (precedence === COMPARE) left = this.compare(left);
      else if (precedence <= AND) left = this.boolOp(left, precedence);
      else left = this.chain(left, precedence);
    }
  }

  private infixPrecedence(): number {
    return this.scan.precedence;
  }

  private chain(first: Node, precedence: number): Node {
    // Arrays made at their final size for the common single operator:
    // growing them by `push()` costs more than the rest of the step.
    const ops = [this.scan.text];
    this.scan.next();
    const operands = [first, this.binary(precedence + 1)];
    while (this.infixPrecedence() === precedence) {
      ops.push(this.scan.text);
      this.scan.next();
      operands.push(this.binary(precedence + 1));
    }
    const depth = chainDepth(operands);
    return { kind: NodeKind.Binary, depth, ops, operands };
  }

  private boolOp(first: Node, precedence: number): Node {
    this.scan.next();
    const operands = [first, this.binary(precedence + 1)];
    while (this.infixPrecedence() === precedence) {
      this.scan.next();
      operands.push(this.binary(precedence + 1));
    }
    return {
      kind: NodeKind.BoolOp,
      depth: 1 + maxDepth(operands),
      isAnd: precedence === AND,
      operands,
    };
  }

  private compare(first: Node): Node {
    const ops = [this.comparison()];
    const operands = [first, this.binary(COMPARE + 1)];
    while (this.infixPrecedence() === COMPARE) {
      ops.push(this.comparison());
      operands.push(this.binary(COMPARE + 1));
    }
    const depth = 1 + maxDepth(operands);
    return { kind: NodeKind.Compare, depth, ops, operands };
  }

  /** `not` (where a binding of `min` allows it) or a unary-prefixed power. */
  private notOperand(min: number): Node {
    if (!this.isKeyword("not")) return this.factor();
    const count = this.nots(min);
    const operand = this.binary(COMPARE);
    return { kind: NodeKind.Not, depth: count + operand.depth, count, operand };
  }
}

/** The one parser: parsing runs to its end before another can start. */
const PARSER = new FastParser();
