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
 * Inputs of any length go through it, even though people do not type long
 * ones: an input built to be slow then costs one quick pass instead of the
 * full tokenizer's and parser's. When it gives up on a long input, the
 * tokens it has read go to the tokenizer, which goes on from where it
 * stopped, so that only the full parser reads the input a second time.
 *
 * @module
 */

import { FastScanner, Token } from "./fast_scanner.ts";
import { AND, COMPARE, NOT, OR } from "./operators.ts";
import { type HandOff, KEYWORDS, type TokenPrefix } from "./parse_tokens.ts";
import { makePyException } from "./py_exception.ts";
import { syntaxError } from "./syntax_error.ts";
import {
  chainDepth,
  ifElseDepth,
  MAX_COMPILE_DEPTH,
  maxDepth,
  type Node,
  NodeKind,
  powerDepth,
  tooDeepError,
} from "./syntax_tree.ts";

/** What the parser returns for an atom once it has given up. */
const STOPPED: Node = { kind: NodeKind.Constant, depth: 1, value: 0n };

/** The unary operators of an operand without any, shared. */
const NO_OPS: readonly string[] = [];

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
  const parser = new FastParser(source, record);
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
    throw makePyException("UnsupportedError", unsupported);
  }
  return tree;
}

class FastParser {
  readonly #scan: FastScanner;
  readonly #empty: boolean;
  #sawIf = false;
  /** Why the calculator refuses the input, once it has parsed. */
  #unsupported: string | undefined;
  /** Whether parsing gave up because the input ended too early. */
  #stoppedAtEnd = false;

  constructor(source: string, record: boolean) {
    this.#scan = new FastScanner(source, record);
    this.#empty = this.#scan.kind === Token.End;
  }

  /** The tokens read before the parser gave up, if they were kept. */
  prefix(): TokenPrefix | undefined {
    return this.#scan.prefix();
  }

  parseAll(): Node | undefined {
    const node = this.#expressions();
    return this.#scan.kind === Token.End ? node : undefined;
  }

  /**
   * Whether the input, all of it in the subset, ended where an operand or
   * a name was still needed, as in `2 +`. The full parser then always
   * reports `invalid syntax` at the end, unless brackets are still open
   * (the tokenizer's error comes first) or an `if` was read (whose rules
   * have messages of their own).
   */
  endsTooEarly(): boolean {
    return this.#stoppedAtEnd && this.#scan.level === 0 && !this.#sawIf &&
      !this.#empty;
  }

  /**
   * Gives up for good. Nothing is thrown, because throwing costs
   * microseconds: the current token becomes `Stopped`, which no rule
   * accepts, so every rule returns at once and `parseAll()` fails.
   */
  #giveUp(): void {
    if (this.#scan.kind === Token.End) this.#stoppedAtEnd = true;
    this.#scan.reject();
  }

  /** Notes the first construct that is valid Python but unsupported. */
  #refuse(message: string): void {
    this.#unsupported ??= message;
  }

  /** The `UnsupportedError` message of a parsed input, if it has one. */
  unsupported(): string | undefined {
    return this.#unsupported;
  }

  // Tokens.

  #isOp(op: string): boolean {
    return this.#scan.kind === Token.Op && this.#scan.text === op;
  }

  #isKeyword(word: string): boolean {
    return this.#scan.kind === Token.Name && this.#scan.text === word;
  }

  #expect(op: string): void {
    if (!this.#isOp(op)) this.#giveUp();
    this.#scan.next();
  }

  // Expressions, loosest first, as in `parser_operators.ts`.

  /** A tuple when there is a comma, else one expression. */
  #expressions(): Node {
    const first = this.#expression();
    if (!this.#isOp(",")) return first;
    const items = [first];
    while (this.#isOp(",")) {
      this.#scan.next();
      if (this.#scan.kind === Token.End || this.#isOp(")")) break;
      items.push(this.#expression());
    }
    return { kind: NodeKind.Tuple, depth: 1 + maxDepth(items), items };
  }

  #expression(): Node {
    const body = this.#binary(OR);
    if (!this.#isKeyword("if")) return body;
    this.#sawIf = true;
    const bodies = [body];
    const tests: Node[] = [];
    for (;;) {
      this.#scan.next();
      tests.push(this.#binary(OR));
      if (!this.#isKeyword("else")) this.#giveUp();
      this.#scan.next();
      const next = this.#binary(OR);
      if (!this.#isKeyword("if")) {
        const depth = ifElseDepth(bodies, tests, next);
        return { kind: NodeKind.IfElse, depth, bodies, tests, orElse: next };
      }
      bodies.push(next);
    }
  }

  /** Precedence climbing over binary operators binding at least `min`. */
  #binary(min: number): Node {
    let left = this.#scan.kind === Token.Number
      ? this.#numberOperand()
      : this.#prefix(min);
    for (;;) {
      const precedence = this.#infixPrecedence();
      if (precedence === 0 || precedence < min) return left;
      if (precedence === COMPARE) left = this.#compare(left);
      else if (precedence <= AND) left = this.#boolOp(left, precedence);
      else left = this.#chain(left, precedence);
    }
  }

  #infixPrecedence(): number {
    return this.#scan.precedence;
  }

  #chain(first: Node, precedence: number): Node {
    const operands = [first];
    const ops: string[] = [];
    while (this.#infixPrecedence() === precedence) {
      ops.push(this.#scan.text);
      this.#scan.next();
      operands.push(this.#binary(precedence + 1));
    }
    const depth = chainDepth(operands);
    return { kind: NodeKind.Binary, depth, ops, operands };
  }

  #boolOp(first: Node, precedence: number): Node {
    const operands = [first];
    while (this.#infixPrecedence() === precedence) {
      this.#scan.next();
      operands.push(this.#binary(precedence + 1));
    }
    return {
      kind: NodeKind.BoolOp,
      depth: 1 + maxDepth(operands),
      isAnd: precedence === AND,
      operands,
    };
  }

  #compare(first: Node): Node {
    const operands = [first];
    const ops: string[] = [];
    while (this.#infixPrecedence() === COMPARE) {
      let op = this.#scan.text;
      this.#scan.next();
      if (op === "not") {
        op = "not in";
        this.#scan.next();
      } else if (op === "is" && this.#isKeyword("not")) {
        op = "is not";
        this.#scan.next();
      }
      ops.push(op);
      operands.push(this.#binary(COMPARE + 1));
    }
    const depth = 1 + maxDepth(operands);
    return { kind: NodeKind.Compare, depth, ops, operands };
  }

  /** `not` (where a binding of `min` allows it) or a unary-prefixed power. */
  #prefix(min: number): Node {
    if (!this.#isKeyword("not")) return this.#factor();
    if (min > NOT) this.#giveUp();
    let count = 0;
    while (this.#isKeyword("not")) {
      this.#scan.next();
      count++;
    }
    const operand = this.#binary(COMPARE);
    return { kind: NodeKind.Not, depth: count + operand.depth, count, operand };
  }

  #factor(): Node {
    const ops = this.#unaryOps();
    const operand = this.#power();
    if (ops.length === 0) return operand;
    const depth = ops.length + operand.depth;
    return { kind: NodeKind.Unary, depth, ops, operand };
  }

  #unaryOps(): readonly string[] {
    if (!this.#atUnaryOp()) return NO_OPS;
    const ops: string[] = [];
    while (this.#atUnaryOp()) {
      ops.push(this.#scan.text);
      this.#scan.next();
    }
    return ops;
  }

  /** A subscript, parsed for syntax and refused; slices are left alone. */
  #subscript(object: Node): Node {
    this.#scan.next();
    this.#refuse("subscripts are not supported by the calculator");
    while (!this.#isOp("]")) {
      this.#expression();
      if (!this.#isOp(",")) break;
      this.#scan.next();
    }
    this.#expect("]");
    return { ...object };
  }

  #atUnaryOp(): boolean {
    return this.#isOp("-") || this.#isOp("+") || this.#isOp("~");
  }

  /**
   * A number literal and what follows it up to the next binary operator:
   * the rules from `#prefix()` down to `#atom()` give the same, but most
   * operands of a long input are bare numbers, which this reads with
   * fewer steps.
   */
  #numberOperand(): Node {
    const value = this.#scan.value;
    this.#scan.next();
    const node: Node = { kind: NodeKind.Constant, depth: 1, value };
    if (!this.#atPostfixOp()) return node;
    return this.#powerFrom(this.#trailers(node));
  }

  /** Whether the current token is `.`, `(`, `[` or `**`. */
  #atPostfixOp(): boolean {
    if (this.#scan.kind !== Token.Op) return false;
    const op = this.#scan.text;
    return op === "." || op === "(" || op === "[" || op === "**";
  }

  #power(): Node {
    return this.#powerFrom(this.#trailers(this.#atom()));
  }

  /** `base ** ...` when a `**` follows `base`, else `base`. */
  #powerFrom(base: Node): Node {
    if (!this.#isOp("**")) return base;
    const operands = [base];
    const prefixes: (readonly string[])[] = [];
    while (this.#isOp("**")) {
      this.#scan.next();
      prefixes.push(this.#unaryOps());
      operands.push(this.#trailers(this.#atom()));
    }
    const depth = powerDepth(operands, prefixes);
    return { kind: NodeKind.Power, depth, operands, prefixes };
  }

  /** Attributes, calls and subscripts after `node`. */
  #trailers(node: Node): Node {
    for (;;) {
      if (this.#isOp(".")) node = this.#attribute(node);
      else if (this.#isOp("(")) node = this.#call(node);
      else if (this.#isOp("[")) node = this.#subscript(node);
      else return node;
    }
  }

  #attribute(object: Node): Node {
    this.#scan.next();
    const name = this.#scan.text;
    if (this.#scan.kind !== Token.Name || KEYWORDS.has(name)) this.#giveUp();
    this.#scan.next();
    return { kind: NodeKind.Attribute, depth: object.depth + 1, object, name };
  }

  #call(callee: Node): Node {
    this.#scan.next();
    const args: Node[] = [];
    const keywordNames: string[] = [];
    const keywordValues: Node[] = [];
    while (!this.#isOp(")")) {
      if (this.#scan.kind === Token.Name && this.#scan.atKeywordArgument()) {
        this.#keywordArgument(keywordNames, keywordValues);
      } else if (keywordNames.length > 0) {
        this.#giveUp();
      } else {
        args.push(this.#expression());
      }
      if (!this.#isOp(",")) break;
      this.#scan.next();
    }
    if (hasRepeat(keywordNames)) this.#giveUp();
    this.#expect(")");
    const depth = 1 +
      Math.max(callee.depth, maxDepth(args), maxDepth(keywordValues));
    return {
      kind: NodeKind.Call,
      depth,
      callee,
      args,
      keywordNames,
      keywordValues,
    };
  }

  #keywordArgument(names: string[], values: Node[]): void {
    const name = this.#scan.text;
    if (KEYWORDS.has(name)) this.#giveUp();
    this.#scan.next();
    this.#scan.next();
    names.push(name);
    values.push(this.#expression());
  }

  #atom(): Node {
    const kind = this.#scan.kind;
    if (kind === Token.Number) {
      const value = this.#scan.value;
      this.#scan.next();
      return { kind: NodeKind.Constant, depth: 1, value };
    }
    if (kind === Token.Name) return this.#nameAtom(this.#scan.text);
    if (kind === Token.String) {
      while (this.#scan.kind === Token.String) this.#scan.next();
      this.#refuse("strings are not supported by the calculator");
      return { kind: NodeKind.Constant, depth: 1, value: 0n };
    }
    if (!this.#isOp("(")) {
      this.#giveUp();
      return STOPPED;
    }
    this.#scan.next();
    if (this.#isOp(")")) {
      this.#scan.next();
      return { kind: NodeKind.Tuple, depth: 1, items: [] };
    }
    const node = this.#expressions();
    this.#expect(")");
    return node;
  }

  #nameAtom(name: string): Node {
    if (name === "True" || name === "False") {
      this.#scan.next();
      return { kind: NodeKind.Constant, depth: 1, value: name === "True" };
    }
    if (KEYWORDS.has(name)) {
      this.#giveUp();
      return STOPPED;
    }
    this.#scan.next();
    return { kind: NodeKind.Name, depth: 1, name };
  }
}

/**
 * Whether a name occurs twice, found in linear time: a call may have
 * thousands of keyword arguments.
 */
function hasRepeat(names: readonly string[]): boolean {
  return names.length > 1 && new Set(names).size < names.length;
}
