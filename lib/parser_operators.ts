/**
 * The full parser's rules for operators, loosest first: tuples, starred
 * items, conditionals, `lambda`, `or`, `and`, `not`, comparisons, the
 * binary operators by precedence climbing, unary operators and `**`.
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
import { parsePrimary } from "./parser_calls.ts";
import {
  checkAssignmentInBrackets,
  checkMissingComma,
  failAt,
  failMissingElse,
  parseIfTest,
} from "./parser_errors.ts";
import type { ParserState } from "./parser_state.ts";
import {
  chainDepth,
  ifElseDepth,
  maxDepth,
  type Node,
  NodeKind,
  powerDepth,
  tooDeepError,
} from "./syntax_tree.ts";
import { KEYWORDS, TokenKind } from "./parse_tokens.ts";

/**
 * The most expressions that may enclose one another. Brackets nest at most
 * 200 deep, so only pathological chains such as `a if b else lambda: ...`
 * reach this; the bound keeps the parser's own recursion shallow.
 */
const MAX_NESTING = 600;

/**
 * The full parser also reads `not` (of `not in`) as a comparison and `@`,
 * which the calculator then refuses; the fast parser gives both up.
 */
const PRECEDENCE: ReadonlyMap<string, number> = new Map([
  ...BINARY_PRECEDENCE,
  ["not", COMPARE],
  ["@", 10],
]);

/**
 * `PRECEDENCE` of the one-character operators by character code: most
 * operators are one character, and indexing is quicker than a map.
 */
const SINGLE_CHAR_PRECEDENCE = singleCharTable(PRECEDENCE);

function singleCharTable(precedence: ReadonlyMap<string, number>): Uint8Array {
  const table = new Uint8Array(128);
  for (const [op, power] of precedence) {
    if (op.length === 1) table[op.charCodeAt(0)] = power;
  }
  return table;
}

/** The binding power of `|`, the loosest binary operator. */
const BITWISE_OR = 5;

/**
 * A tuple when there is a top-level comma, else one expression. `*` items
 * are `starred` (as in brackets); `eval()`'s own top level has none.
 */
export function parseExpressions(p: ParserState, starred = true): Node {
  if (!starred && p.isOp("*")) failAt(p);
  const first = starred ? parseBracketedItem(p) : parseExpression(p);
  if (!p.isOp(",")) return first;
  const items = [first];
  while (p.isOp(",")) {
    p.i++;
    if (!p.startsExpression() && !(starred && p.isOp("*"))) break;
    items.push(starred ? parseBracketedItem(p) : parseExpression(p));
  }
  return { kind: NodeKind.Tuple, depth: 1 + maxDepth(items), items };
}

/**
 * An item of a tuple or display in brackets: a `*` item, an assignment
 * expression or an expression, with CPython's hint for a stray `=`.
 */
export function parseBracketedItem(p: ParserState): Node {
  const target = p.i;
  skipAssignmentTarget(p);
  const start = p.i;
  const item = parseStarredOrExpression(p);
  // After `x := 1`, CPython's rule for a stray = does not apply.
  if (p.isOp("=") && start === target) {
    checkAssignmentInBrackets(p, item, start);
  }
  return item;
}

/**
 * Steps over the `x :=` of an assignment expression, which brackets and
 * call arguments allow and the calculator refuses; its value is parsed as
 * any expression.
 */
export function skipAssignmentTarget(p: ParserState): void {
  if (
    p.kind() === TokenKind.Name && p.isOp(":=", 1) &&
    !KEYWORDS.has(p.value() as string)
  ) {
    p.i += 2;
    p.refuse("assignment expressions are not supported by the calculator");
  }
}

/** An expression, or a `*` item, which the calculator refuses. */
export function parseStarredOrExpression(p: ParserState): Node {
  if (!p.isOp("*")) return parseExpression(p);
  p.i++;
  p.refuse("star unpacking is not supported by the calculator");
  return parseBitwiseOr(p);
}

/** One expression: a conditional, possibly behind lambda headers. */
export function parseExpression(p: ParserState): Node {
  if (++p.nesting > MAX_NESTING) throw tooDeepError();
  // No `finally` restores the count on failure, because rethrowing costs
  // time on every error: whoever catches a failure restores it.
  while (p.isKeyword("lambda")) skipLambdaHeader(p);
  const node = parseConditional(p);
  p.nesting--;
  return node;
}

function parseConditional(p: ParserState): Node {
  const start = p.i;
  const body = parseBinary(p, OR);
  if (!p.isKeyword("if")) {
    checkMissingComma(p, start);
    return body;
  }
  if (p.probing) {
    return p.attempt(() => parseIfElseChain(p, start, body)) ?? body;
  }
  return parseIfElseChain(p, start, body);
}

function parseIfElseChain(p: ParserState, start: number, body: Node): Node {
  const bodies = [body];
  const tests: Node[] = [];
  for (;;) {
    p.i++;
    tests.push(parseIfTest(p, start));
    if (!p.isKeyword("else")) failMissingElse(p, start);
    p.i++;
    if (p.isKeyword("lambda")) {
      return ifElse(bodies, tests, parseExpression(p));
    }
    const nextStart = p.i;
    const next = parseBinary(p, OR);
    if (!p.isKeyword("if")) {
      checkMissingComma(p, nextStart);
      return ifElse(bodies, tests, next);
    }
    bodies.push(next);
  }
}

function ifElse(bodies: Node[], tests: Node[], orElse: Node): Node {
  const depth = ifElseDepth(bodies, tests, orElse);
  return { kind: NodeKind.IfElse, depth, bodies, tests, orElse };
}

/** Skips a lambda's parameters; its body is parsed as an expression. */
function skipLambdaHeader(p: ParserState): void {
  p.i++;
  while (!p.isOp(":")) {
    skipLambdaParameter(p);
    if (p.isOp(",")) p.i++;
    else if (!p.isOp(":")) failAt(p);
  }
  p.i++;
  p.refuse("lambdas are not supported by the calculator");
}

/**
 * Steps over one of a lambda's parameters: `x`, `x=default`, `*`, `*x`,
 * `**x` or `/`. Their order is not checked: the lambda is refused anyway.
 */
function skipLambdaParameter(p: ParserState): void {
  if (p.isOp("/")) {
    p.i++;
    return;
  }
  if (p.isOp("*")) {
    p.i++;
    if (p.isOp(",") || p.isOp(":")) return;
  } else if (p.isOp("**")) {
    p.i++;
  }
  if (p.kind() !== TokenKind.Name || KEYWORDS.has(p.value() as string)) {
    failAt(p);
  }
  p.i++;
  if (p.isOp("=")) {
    p.i++;
    parseExpression(p);
  }
}

/** Precedence climbing over binary operators binding at least `min`. */
export function parseBinary(p: ParserState, min: number): Node {
  let left = atBareNumber(p) ? readBareNumber(p) : parsePrefix(p, min);
  for (;;) {
    const precedence = infixPrecedence(p);
    if (precedence === 0 || precedence < min) return left;
    let next: Node;
    if (precedence === COMPARE) next = parseCompare(p, left);
    else if (precedence <= AND) next = parseBoolOp(p, left, precedence);
    else next = parseChain(p, left, precedence);
    // While probing, an operator without a right operand is left unread.
    if (next === left) return left;
    left = next;
  }
}

/**
 * Whether the current token is a number that no `.`, `(`, `[` or `**`
 * follows. The rules from `parsePrefix()` down to `parseAtom()` would read
 * it as the operand on its own; most operands of a long input are such,
 * and this reads them with fewer steps.
 */
function atBareNumber(p: ParserState): boolean {
  if (p.kind() !== TokenKind.Number) return false;
  if (p.kind(1) !== TokenKind.Op) return true;
  const next = p.value(1);
  return next !== "." && next !== "(" && next !== "[" && next !== "**";
}

function readBareNumber(p: ParserState): Node {
  const value = p.tokens.values[p.i++] as bigint | number;
  return { kind: NodeKind.Constant, depth: 1, value };
}

/** An operand of `|` and tighter operators only, as after `*` or `**`. */
export function parseBitwiseOr(p: ParserState): Node {
  return parseBinary(p, BITWISE_OR);
}

/** The right operand of a binary operator; see `ParserState.attempt()`. */
function parseOperand(p: ParserState, min: number): Node | undefined {
  if (!p.probing) return parseBinary(p, min);
  return p.attempt(() => parseBinary(p, min));
}

function infixPrecedence(p: ParserState): number {
  const kind = p.kind();
  if (kind !== TokenKind.Op && kind !== TokenKind.Name) return 0;
  const op = p.value() as string;
  if (kind === TokenKind.Op && op.length === 1) {
    return SINGLE_CHAR_PRECEDENCE[op.charCodeAt(0)];
  }
  if (op === "not") {
    const next = p.kind(1) === TokenKind.Name && p.value(1) === "in";
    return next ? COMPARE : 0;
  }
  return PRECEDENCE.get(op) ?? 0;
}

function parseChain(p: ParserState, first: Node, precedence: number): Node {
  const operands = [first];
  const ops: string[] = [];
  while (infixPrecedence(p) === precedence) {
    const op = p.value() as string;
    const resume = p.i;
    p.i++;
    const operand = parseOperand(p, precedence + 1);
    if (operand === undefined) {
      p.i = resume;
      break;
    }
    ops.push(op);
    operands.push(operand);
  }
  if (ops.length === 0) return first;
  const depth = chainDepth(operands);
  return { kind: NodeKind.Binary, depth, ops, operands };
}

function parseBoolOp(p: ParserState, first: Node, precedence: number): Node {
  const operands = [first];
  while (infixPrecedence(p) === precedence) {
    const resume = p.i;
    p.i++;
    const operand = parseOperand(p, precedence + 1);
    if (operand === undefined) {
      p.i = resume;
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

function parseCompare(p: ParserState, first: Node): Node {
  const operands = [first];
  const ops: string[] = [];
  while (infixPrecedence(p) === COMPARE) {
    const resume = p.i;
    const op = readCompareOp(p);
    const operand = parseOperand(p, COMPARE + 1);
    if (operand === undefined) {
      p.i = resume;
      break;
    }
    ops.push(op);
    operands.push(operand);
  }
  if (ops.length === 0) return first;
  const depth = 1 + maxDepth(operands);
  return { kind: NodeKind.Compare, depth, ops, operands };
}

/** Steps over a comparison operator, `not in` and `is not` included. */
function readCompareOp(p: ParserState): string {
  const op = p.value() as string;
  p.i++;
  if (op === "not") {
    p.i++;
    return "not in";
  }
  if (op === "is" && p.isKeyword("not")) {
    p.i++;
    return "is not";
  }
  return op;
}

/** `not` (where a binding of `min` allows it) or a unary-prefixed power. */
function parsePrefix(p: ParserState, min: number): Node {
  if (!p.isKeyword("not")) return parseFactor(p);
  if (min > NOT) failAt(p);
  let count = 0;
  while (p.isKeyword("not")) {
    p.i++;
    count++;
  }
  const operand = parseBinary(p, COMPARE);
  return { kind: NodeKind.Not, depth: count + operand.depth, count, operand };
}

function parseFactor(p: ParserState): Node {
  const ops = readUnaryOps(p);
  const operand = parsePower(p);
  if (ops.length === 0) return operand;
  const depth = ops.length + operand.depth;
  return { kind: NodeKind.Unary, depth, ops, operand };
}

function readUnaryOps(p: ParserState): string[] {
  const ops: string[] = [];
  while (p.isOp("-") || p.isOp("+") || p.isOp("~")) {
    ops.push(p.value() as string);
    p.i++;
  }
  return ops;
}

function parsePower(p: ParserState): Node {
  const base = parsePrimary(p);
  if (!p.isOp("**")) return base;
  const operands = [base];
  const prefixes: string[][] = [];
  while (p.isOp("**")) {
    const resume = p.i;
    p.i++;
    const ops = readUnaryOps(p);
    const operand = p.probing
      ? p.attempt(() => parsePrimary(p))
      : parsePrimary(p);
    if (operand === undefined) {
      p.i = resume;
      break;
    }
    prefixes.push(ops);
    operands.push(operand);
  }
  const depth = powerDepth(operands, prefixes);
  return { kind: NodeKind.Power, depth, operands, prefixes };
}
