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
 * @module
 */

import {
  AND,
  COMPARE,
  NOT,
  OR,
  PRECEDENCE as BINARY_PRECEDENCE,
} from "./operators.ts";
import { makePyException } from "./py_exception.ts";
import { PyException } from "./py_value.ts";
import { syntaxError } from "./syntax_error.ts";
import {
  chainDepth,
  ifElseDepth,
  maxDepth,
  type Node,
  NodeKind,
  powerDepth,
} from "./syntax_tree.ts";
import { TokenKind, type Tokens } from "./tokenizer.ts";

/**
 * The deepest syntax tree CPython 3.11 compiles when `eval()` is called from
 * a function at module level; deeper trees raise `RecursionError`.
 */
export const MAX_COMPILE_DEPTH = 2993;

/**
 * The most expressions that may enclose one another. Brackets nest at most
 * 200 deep, so only pathological chains such as `a if b else lambda: ...`
 * reach this; the bound keeps the parser's own recursion shallow.
 */
const MAX_NESTING = 600;

/** The error CPython raises for an expression too deep to compile. */
export function tooDeepError(): PyException {
  return makePyException(
    "RecursionError",
    "maximum recursion depth exceeded during compilation",
  );
}

/**
 * The full parser also reads `not` (of `not in`) as a comparison and `@`,
 * which the calculator then refuses; the fast parser gives both up.
 */
const PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ...BINARY_PRECEDENCE,
  ["not", COMPARE],
  ["@", 10],
]);

const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
]);

/** Names that start a valid expression even though they are keywords. */
const EXPRESSION_KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "not",
  "lambda",
  "await",
]);

const SOFT_KEYWORDS = new Set(["_", "match", "case"]);

/** A syntax error at the token where parsing stopped, without detail. */
class InvalidSyntax extends PyException {}

/**
 * Parses the tokens of one expression, raising `SyntaxError` as CPython
 * would, `RecursionError` when CPython's compiler would give up, and
 * `UnsupportedError` for valid Python the calculator does not handle.
 */
export function parse(tokens: Tokens, emptySource = false): Node {
  return new Parser(tokens, emptySource).parseAll();
}

class Parser {
  readonly #t: Tokens;
  readonly #emptySource: boolean;
  #i = 0;
  /** How many expressions enclose the one being parsed. */
  #nesting = 0;
  /** While probing, errors are plain failures without special messages. */
  #probing = false;
  #unsupported: string | undefined;
  #compileError: PyException | undefined;

  constructor(tokens: Tokens, emptySource: boolean) {
    this.#t = tokens;
    this.#emptySource = emptySource;
  }

  parseAll(): Node {
    const node = this.#expressions();
    while (this.#kind() === TokenKind.Newline) this.#i++;
    if (this.#kind() !== TokenKind.End) this.#fail();
    if (this.#compileError) throw this.#compileError;
    if (node.depth > MAX_COMPILE_DEPTH) throw tooDeepError();
    if (this.#unsupported !== undefined) {
      throw makePyException("UnsupportedError", this.#unsupported);
    }
    return node;
  }

  // Token access.

  #kind(offset = 0): TokenKind {
    return this.#t.kinds[this.#i + offset];
  }

  #value(offset = 0): unknown {
    return this.#t.values[this.#i + offset];
  }

  #isOp(op: string, offset = 0): boolean {
    return this.#kind(offset) === TokenKind.Op && this.#value(offset) === op;
  }

  #isKeyword(word: string): boolean {
    return this.#kind() === TokenKind.Name && this.#value() === word;
  }

  #line(index = this.#i): number {
    return this.#t.lines[index];
  }

  #expect(op: string): void {
    if (!this.#isOp(op)) this.#fail();
    this.#i++;
  }

  /** Fails at the current token with CPython's generic message. */
  #fail(): never {
    const i = this.#i;
    let message = "invalid syntax";
    let type = "SyntaxError";
    if (this.#t.kinds[i] === TokenKind.Error) {
      message = this.#t.values[i] as string;
      type = this.#t.errorTypes.get(i) ?? type;
    }
    const line = this.#emptySource ? 0 : this.#line();
    throw makePyException(
      type,
      `${message} (<string>, line ${line})`,
      InvalidSyntax,
    );
  }

  /**
   * Parses with `parse`; while probing, a failure instead restores the
   * position and gives `undefined`, as a PEG parser backtracks.
   */
  #attempt<T>(parse: () => T): T | undefined {
    if (!this.#probing) return parse();
    const start = this.#i;
    const nesting = this.#nesting;
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
      this.#i = start;
      this.#nesting = nesting;
      return undefined;
    }
  }

  #unsupportedConstruct(message: string): void {
    this.#unsupported ??= message;
  }

  /** Whether the current token can begin an expression. */
  #startsExpression(): boolean {
    switch (this.#kind()) {
      case TokenKind.Number:
      case TokenKind.String:
      case TokenKind.Imaginary:
        return true;
      case TokenKind.Name: {
        const name = this.#value() as string;
        return !KEYWORDS.has(name) || EXPRESSION_KEYWORDS.has(name);
      }
      case TokenKind.Op:
        return ["(", "[", "{", "-", "+", "~", "..."].includes(
          this.#value() as string,
        );
    }
    return false;
  }

  // Expressions, loosest first.

  /** A tuple when there is a top-level comma, else one expression. */
  #expressions(): Node {
    const first = this.#starredOrExpression();
    if (!this.#isOp(",")) return first;
    const items = [first];
    while (this.#isOp(",")) {
      this.#i++;
      if (!this.#startsExpression() && !this.#isOp("*")) break;
      items.push(this.#starredOrExpression());
    }
    return { kind: NodeKind.Tuple, depth: 1 + maxDepth(items), items };
  }

  #starredOrExpression(): Node {
    if (!this.#isOp("*")) return this.#expression();
    this.#i++;
    this.#unsupportedConstruct(
      "star unpacking is not supported by the calculator",
    );
    return this.#bitwiseOr();
  }

  #expression(): Node {
    if (++this.#nesting > MAX_NESTING) throw tooDeepError();
    // No `finally` restores the count on failure, because rethrowing costs
    // time on every error: whoever catches a failure restores it.
    while (this.#isKeyword("lambda")) this.#lambdaHeader();
    const node = this.#conditional();
    this.#nesting--;
    return node;
  }

  #conditional(): Node {
    const start = this.#i;
    const body = this.#binary(OR);
    if (!this.#isKeyword("if")) {
      this.#checkMissingComma(start);
      return body;
    }
    if (this.#probing) {
      return this.#attempt(() => this.#ifElseChain(start, body)) ?? body;
    }
    return this.#ifElseChain(start, body);
  }

  #ifElseChain(start: number, body: Node): Node {
    const bodies = [body];
    const tests: Node[] = [];
    for (;;) {
      this.#i++;
      tests.push(this.#ifTest(start));
      if (!this.#isKeyword("else")) this.#missingElse(start);
      this.#i++;
      if (this.#isKeyword("lambda")) {
        return this.#ifElse(bodies, tests, this.#expression());
      }
      const nextStart = this.#i;
      const next = this.#binary(OR);
      if (!this.#isKeyword("if")) {
        this.#checkMissingComma(nextStart);
        return this.#ifElse(bodies, tests, next);
      }
      bodies.push(next);
    }
  }

  /**
   * The test of a conditional. CPython reports a missing `else` even when
   * the test only parses after backtracking to a shorter prefix.
   */
  #ifTest(start: number): Node {
    const testStart = this.#i;
    const nesting = this.#nesting;
    try {
      return this.#binary(OR);
    } catch (error) {
      if (!(error instanceof InvalidSyntax) || this.#probing) throw error;
      this.#i = testStart;
      this.#nesting = nesting;
      this.#probing = true;
      const prefix = this.#attempt(() => this.#binary(OR));
      this.#probing = false;
      if (prefix !== undefined) this.#missingElse(start);
      throw error;
    }
  }

  #missingElse(start: number): void {
    if (this.#probing || this.#isOp(":")) this.#fail();
    throw syntaxError(
      "expected 'else' after 'if' expression",
      this.#line(start),
    );
  }

  #ifElse(bodies: Node[], tests: Node[], orElse: Node): Node {
    const depth = ifElseDepth(bodies, tests, orElse);
    return { kind: NodeKind.IfElse, depth, bodies, tests, orElse };
  }

  /**
   * CPython reports "Perhaps you forgot a comma?" when, inside brackets, an
   * expression is directly followed by another complete expression.
   */
  #checkMissingComma(start: number): void {
    if (this.#probing || !this.#startsExpression()) return;
    if (this.#t.kinds[start] === TokenKind.Name) {
      const first = this.#t.values[start] as string;
      if (SOFT_KEYWORDS.has(first)) return;
      if (this.#t.kinds[start + 1] === TokenKind.String) return;
    }
    const resume = this.#i;
    const nesting = this.#nesting;
    this.#probing = true;
    let parsed = false;
    try {
      this.#expression();
      parsed = true;
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
    }
    this.#probing = false;
    this.#nesting = nesting;
    const insideBrackets = this.#t.levels[this.#i - 1] > 0;
    this.#i = resume;
    if (parsed && insideBrackets) {
      throw syntaxError(
        "invalid syntax. Perhaps you forgot a comma?",
        this.#line(start),
      );
    }
  }

  /** Skips a lambda's parameters; its body is parsed as an expression. */
  #lambdaHeader(): void {
    const level = this.#t.levels[this.#i];
    this.#i++;
    while (!(this.#isOp(":") && this.#t.levels[this.#i] === level)) {
      if (this.#kind() === TokenKind.End) this.#fail();
      this.#i++;
    }
    this.#i++;
    this.#unsupportedConstruct("lambdas are not supported by the calculator");
  }

  /** Precedence climbing over binary operators binding at least `min`. */
  #binary(min: number): Node {
    let left = this.#prefix(min);
    for (;;) {
      const precedence = this.#infixPrecedence();
      if (precedence === 0 || precedence < min) return left;
      let next: Node;
      if (precedence === COMPARE) next = this.#compare(left);
      else if (precedence <= AND) next = this.#boolOp(left, precedence);
      else next = this.#chain(left, precedence);
      // While probing, an operator without a right operand is left unread.
      if (next === left) return left;
      left = next;
    }
  }

  /** The right operand of a binary operator; see `#attempt`. */
  #operand(min: number): Node | undefined {
    if (!this.#probing) return this.#binary(min);
    return this.#attempt(() => this.#binary(min));
  }

  #bitwiseOr(): Node {
    return this.#binary(5);
  }

  #infixPrecedence(): number {
    const kind = this.#kind();
    if (kind !== TokenKind.Op && kind !== TokenKind.Name) return 0;
    const op = this.#value() as string;
    if (op === "not") {
      const next = this.#kind(1) === TokenKind.Name && this.#value(1) === "in";
      return next ? COMPARE : 0;
    }
    return PRECEDENCE.get(op) ?? 0;
  }

  #chain(first: Node, precedence: number): Node {
    const operands = [first];
    const ops: string[] = [];
    while (this.#infixPrecedence() === precedence) {
      const op = this.#value() as string;
      const resume = this.#i;
      this.#i++;
      const operand = this.#operand(precedence + 1);
      if (operand === undefined) {
        this.#i = resume;
        break;
      }
      ops.push(op);
      operands.push(operand);
    }
    if (ops.length === 0) return first;
    const depth = chainDepth(operands);
    return { kind: NodeKind.Binary, depth, ops, operands };
  }

  #boolOp(first: Node, precedence: number): Node {
    const operands = [first];
    while (this.#infixPrecedence() === precedence) {
      const resume = this.#i;
      this.#i++;
      const operand = this.#operand(precedence + 1);
      if (operand === undefined) {
        this.#i = resume;
        break;
      }
      operands.push(operand);
    }
    if (operands.length === 1) return first;
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
      const resume = this.#i;
      let op = this.#value() as string;
      this.#i++;
      if (op === "not") {
        op = "not in";
        this.#i++;
      } else if (op === "is" && this.#isKeyword("not")) {
        op = "is not";
        this.#i++;
      }
      const operand = this.#operand(COMPARE + 1);
      if (operand === undefined) {
        this.#i = resume;
        break;
      }
      ops.push(op);
      operands.push(operand);
    }
    if (ops.length === 0) return first;
    const depth = 1 + maxDepth(operands);
    return { kind: NodeKind.Compare, depth, ops, operands };
  }

  /** `not` (where a binding of `min` allows it) or a unary-prefixed power. */
  #prefix(min: number): Node {
    if (!this.#isKeyword("not")) return this.#factor();
    if (min > NOT) this.#fail();
    let count = 0;
    while (this.#isKeyword("not")) {
      this.#i++;
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

  #unaryOps(): string[] {
    const ops: string[] = [];
    while (this.#isOp("-") || this.#isOp("+") || this.#isOp("~")) {
      ops.push(this.#value() as string);
      this.#i++;
    }
    return ops;
  }

  #power(): Node {
    const base = this.#primary();
    if (!this.#isOp("**")) return base;
    const operands = [base];
    const prefixes: string[][] = [];
    while (this.#isOp("**")) {
      const resume = this.#i;
      this.#i++;
      const ops = this.#unaryOps();
      const operand = this.#probing
        ? this.#attempt(() => this.#primary())
        : this.#primary();
      if (operand === undefined) {
        this.#i = resume;
        break;
      }
      prefixes.push(ops);
      operands.push(operand);
    }
    const depth = powerDepth(operands, prefixes);
    return { kind: NodeKind.Power, depth, operands, prefixes };
  }

  #primary(): Node {
    let node = this.#atom();
    for (;;) {
      const object = node;
      const next = this.#probing
        ? this.#attempt(() => this.#trailer(object))
        : this.#trailer(object);
      if (next === undefined || next === object) return node;
      node = next;
    }
  }

  /** `.name`, a call or a subscript after `object`, or `object` itself. */
  #trailer(object: Node): Node {
    if (this.#isOp(".")) {
      this.#i++;
      const name = this.#value() as string;
      if (this.#kind() !== TokenKind.Name || KEYWORDS.has(name)) this.#fail();
      this.#i++;
      return {
        kind: NodeKind.Attribute,
        depth: object.depth + 1,
        object,
        name,
      };
    }
    if (this.#isOp("(")) return this.#call(object);
    if (this.#isOp("[")) {
      this.#subscript();
      return { ...object };
    }
    return object;
  }

  #call(callee: Node): Node {
    this.#i++;
    const args: Node[] = [];
    const keywordNames: string[] = [];
    const keywordValues: Node[] = [];
    // A set finds a repeated keyword in linear time: a call may have
    // thousands of keyword arguments.
    const seen = new Set<string>();
    let unpackedKeywords = false;
    while (!this.#isOp(")")) {
      if (this.#isOp("*") || this.#isOp("**")) {
        unpackedKeywords ||= this.#isOp("**");
        this.#i++;
        this.#unsupportedConstruct(
          "argument unpacking is not supported by the calculator",
        );
        this.#expression();
      } else if (
        this.#kind() === TokenKind.Name && this.#isOp("=", 1) &&
        !KEYWORDS.has(this.#value() as string)
      ) {
        this.#keywordArgument(keywordNames, keywordValues, seen);
      } else {
        const start = this.#i;
        const arg = this.#argument();
        if (this.#isOp("=")) this.#assignmentInCall(start);
        if (keywordNames.length > 0 || unpackedKeywords) {
          this.#positionalAfterKeyword(start, keywordNames.length > 0);
        }
        args.push(arg);
      }
      if (!this.#isOp(",")) break;
      this.#i++;
    }
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

  #keywordArgument(names: string[], values: Node[], seen: Set<string>): void {
    const name = this.#value() as string;
    const line = this.#line();
    this.#i += 2;
    values.push(this.#expression());
    if (seen.has(name)) {
      this.#compileError ??= syntaxError(
        `keyword argument repeated: ${name}`,
        line,
      );
    }
    seen.add(name);
    names.push(name);
  }

  #assignmentInCall(start: number): never {
    if (this.#probing) this.#fail();
    throw syntaxError(
      'expression cannot contain assignment, perhaps you meant "=="?',
      this.#line(start),
    );
  }

  #positionalAfterKeyword(start: number, keyword: boolean): never {
    if (this.#probing) this.#fail();
    const message = keyword
      ? "positional argument follows keyword argument"
      : "positional argument follows keyword argument unpacking";
    throw syntaxError(message, this.#line(start));
  }

  /** An argument, which may be a generator expression. */
  #argument(): Node {
    const node = this.#expression();
    if (this.#isKeyword("for") || this.#isKeyword("async")) {
      this.#comprehension();
    }
    return node;
  }

  /** Skips a comprehension's clauses up to the closing bracket. */
  #comprehension(): void {
    this.#unsupportedConstruct(
      "comprehensions are not supported by the calculator",
    );
    const level = this.#t.levels[this.#i];
    while (this.#t.levels[this.#i] >= level) {
      if (this.#kind() === TokenKind.End) this.#fail();
      this.#i++;
    }
  }

  #subscript(): void {
    this.#i++;
    this.#unsupportedConstruct(
      "subscripts are not supported by the calculator",
    );
    while (!this.#isOp("]")) {
      if (!this.#isOp(":")) this.#expression();
      while (this.#isOp(":")) {
        this.#i++;
        if (!this.#isOp(":") && !this.#isOp(",") && !this.#isOp("]")) {
          this.#expression();
        }
      }
      if (!this.#isOp(",")) break;
      this.#i++;
    }
    this.#expect("]");
  }

  #atom(): Node {
    const kind = this.#kind();
    const value = this.#value();
    switch (kind) {
      case TokenKind.Number:
        this.#i++;
        return { kind: NodeKind.Constant, depth: 1, value: value as bigint };
      case TokenKind.Imaginary:
        this.#i++;
        this.#unsupportedConstruct(
          "complex numbers are not supported by the calculator",
        );
        return { kind: NodeKind.Constant, depth: 1, value: 0n };
      case TokenKind.String:
        while (this.#kind() === TokenKind.String) this.#i++;
        this.#unsupportedConstruct(
          "strings are not supported by the calculator",
        );
        return { kind: NodeKind.Constant, depth: 1, value: 0n };
      case TokenKind.Name:
        return this.#nameAtom(value as string);
      case TokenKind.Op:
        return this.#bracketAtom(value as string);
    }
    this.#fail();
  }

  #nameAtom(name: string): Node {
    if (name === "True" || name === "False" || name === "None") {
      this.#i++;
      if (name === "None") {
        this.#unsupportedConstruct("None is not supported by the calculator");
      }
      return { kind: NodeKind.Constant, depth: 1, value: name === "True" };
    }
    if (KEYWORDS.has(name)) this.#fail();
    this.#i++;
    return { kind: NodeKind.Name, depth: 1, name };
  }

  #bracketAtom(op: string): Node {
    if (op === "(") return this.#parenthesized();
    if (op === "[" || op === "{") {
      this.#display(op === "[" ? "]" : "}");
      return { kind: NodeKind.Constant, depth: 1, value: 0n };
    }
    if (op === "...") {
      this.#i++;
      this.#unsupportedConstruct(
        "Ellipsis is not supported by the calculator",
      );
      return { kind: NodeKind.Constant, depth: 1, value: 0n };
    }
    this.#fail();
  }

  #parenthesized(): Node {
    this.#i++;
    if (this.#isOp(")")) {
      this.#i++;
      return { kind: NodeKind.Tuple, depth: 1, items: [] };
    }
    if (this.#kind() === TokenKind.Name && this.#isOp(":=", 1)) {
      this.#i += 2;
      this.#unsupportedConstruct(
        "assignment expressions are not supported by the calculator",
      );
    }
    const node = this.#expressions();
    if (this.#isKeyword("for") || this.#isKeyword("async")) {
      this.#comprehension();
    }
    this.#expect(")");
    return node;
  }

  /** A list, set or dict display, parsed for syntax and refused. */
  #display(close: string): void {
    this.#i++;
    this.#unsupportedConstruct(
      close === "]"
        ? "lists are not supported by the calculator"
        : "dicts and sets are not supported by the calculator",
    );
    while (!this.#isOp(close)) {
      if (this.#isOp("**")) {
        this.#i++;
        this.#bitwiseOr();
      } else {
        this.#starredOrExpression();
        if (close === "}" && this.#isOp(":")) {
          this.#i++;
          this.#expression();
        }
      }
      if (this.#isKeyword("for") || this.#isKeyword("async")) {
        this.#comprehension();
      }
      if (!this.#isOp(",")) break;
      this.#i++;
    }
    this.#expect(close);
  }
}
