/**
 * The full parser's syntax errors, with CPython's messages: the generic
 * `invalid syntax` at the token where parsing stopped, and the special
 * messages CPython's grammar gives for a missing `else`, a missing comma
 * and misplaced arguments. Some of them need a second, probing parse to
 * decide, as CPython's PEG parser decides them by backtracking.
 *
 * @module
 */

import {
  parseBinary,
  parseBitwiseOr,
  parseExpression,
  parseExpressions,
} from "./parser_operators.ts";
import type { ParserState } from "./parser_state.ts";
import { OR } from "./operators.ts";
import { makePyException } from "./py_exception.ts";
import { PyException } from "./py_value.ts";
import { syntaxError } from "./syntax_error.ts";
import { type Node, NodeKind } from "./syntax_tree.ts";
import { KEYWORDS, TokenKind } from "./parse_tokens.ts";

/** Python 2's statements that Python 3 made functions. */
const LEGACY_STATEMENTS = new Set(["print", "exec"]);

/** Names after which a following expression is no missing comma. */
const SOFT_KEYWORDS = new Set(["_", "match", "case"]);

/** A syntax error at the token where parsing stopped, without detail. */
export class InvalidSyntax extends PyException {}

/** The tokenizer failed where the parser read: no backtracking gets past. */
export class TokenizerFailure extends PyException {}

/**
 * Fails with the tokenizer's error (`'(' was never closed`, say) if the
 * token at `index` is one where CPython's tokenizer fails. It raises that
 * error the moment the parser asks for the token there, so whatever the
 * parser was deciding by looking at it (a failure, the end of an operand,
 * the absence of an `else`) ends in that error instead.
 */
export function failIfTokenizerFailsAt(p: ParserState, index: number): void {
  if (p.tokens.kinds[index] !== TokenKind.FailsWhenRead) return;
  const message = p.tokens.values[index] as string;
  throw makePyException(
    "SyntaxError",
    `${message} (<string>, line ${p.line(index)})`,
    TokenizerFailure,
  );
}

/**
 * Fails at the current token with CPython's generic message, or with the
 * tokenizer's message when the token is an error token.
 */
export function failAt(p: ParserState): never {
  failIfTokenizerFailsAt(p, p.i);
  const t = p.tokens;
  let message = "invalid syntax";
  let type = "SyntaxError";
  if (t.kinds[p.i] === TokenKind.Error) {
    message = t.values[p.i] as string;
    type = t.errorTypes.get(p.i) ?? type;
  }
  const line = p.emptySource ? 0 : p.line();
  throw makePyException(
    type,
    `${message} (<string>, line ${line})`,
    InvalidSyntax,
  );
}

/**
 * The test of a conditional that starts at token `start`. CPython reports
 * a missing `else` even when the test only parses after backtracking to a
 * shorter prefix.
 */
export function parseIfTest(p: ParserState, start: number): Node {
  const testStart = p.i;
  const nesting = p.nesting;
  try {
    return parseBinary(p, OR);
  } catch (error) {
    if (!(error instanceof InvalidSyntax) || p.probing) throw error;
    p.i = testStart;
    p.nesting = nesting;
    p.probing = true;
    const prefix = p.attempt(() => parseBinary(p, OR));
    p.probing = false;
    if (prefix !== undefined) failMissingElse(p, start);
    throw error;
  }
}

/** Fails where the `else` of a conditional starting at `start` should be. */
export function failMissingElse(p: ParserState, start: number): never {
  failIfTokenizerFailsAt(p, p.i);
  if (p.probing || p.isOp(":")) failAt(p);
  throw syntaxError("expected 'else' after 'if' expression", p.line(start));
}

/**
 * CPython reports "Perhaps you forgot a comma?" when, inside brackets, an
 * expression starting at `start` is directly followed by another complete
 * expression.
 */
export function checkMissingComma(p: ParserState, start: number): void {
  if (p.probing || !p.startsExpression()) return;
  checkLegacyStatement(p, start);
  const t = p.tokens;
  if (t.kinds[start] === TokenKind.Name) {
    if (SOFT_KEYWORDS.has(t.values[start] as string)) return;
    if (t.kinds[start + 1] === TokenKind.String) return;
  }
  const resume = p.i;
  const parsed = p.probe(() => parseExpression(p)) !== undefined;
  const insideBrackets = t.levels[p.i - 1] > 0;
  p.i = resume;
  if (parsed && insideBrackets) {
    throw syntaxError(
      "invalid syntax. Perhaps you forgot a comma?",
      p.line(start),
    );
  }
}

/**
 * CPython's rule for Python 2's `print 1`: at an expression that starts
 * with a name and no `(` after it, it tries to read expressions after the
 * name, and if it can and the name is `print` or `exec`, says so. For other
 * names the attempt only matters when it runs into the end of the input
 * inside brackets, which fails the parse as ever.
 */
function checkLegacyStatement(p: ParserState, start: number): void {
  const t = p.tokens;
  if (t.kinds[start] !== TokenKind.Name) return;
  const name = t.values[start] as string;
  if (KEYWORDS.has(name)) return;
  const resume = p.i;
  p.i = start + 1;
  const rest = p.isOp("(") ? undefined : p.probe(() => parseExpressions(p));
  p.i = resume;
  if (rest !== undefined && LEGACY_STATEMENTS.has(name)) {
    throw syntaxError(
      `Missing parentheses in call to '${name}'. Did you mean ${name}(...)?`,
      p.line(start),
    );
  }
}

/**
 * CPython's hints for `=` after an item in brackets, `(x = 1)` or
 * `[2 + 3 = 5]`, where `==` was probably meant: given when what follows the
 * `=` reads as an operand and no second `=` comes after it. The item
 * `node` started at token `start`; `p` is at the `=`.
 */
export function checkAssignmentInBrackets(
  p: ParserState,
  node: Node,
  start: number,
): void {
  if (p.probing) return;
  const what = assignedName(p, node, start);
  if (what === undefined) return;
  const resume = p.i;
  p.i++;
  const value = p.probe(() => parseBitwiseOr(p));
  const another = p.isOp("=") || p.isOp(":=");
  p.i = resume;
  if (value === undefined || another) return;
  throw syntaxError(
    what === "bare name"
      ? "invalid syntax. Maybe you meant '==' or ':=' instead of '='?"
      : `cannot assign to ${what} here. Maybe you meant '==' instead of '='?`,
    p.line(start),
  );
}

/** What CPython calls the item `node` in its hint, if it gives one. */
function assignedName(
  p: ParserState,
  node: Node,
  start: number,
): string | undefined {
  const t = p.tokens;
  const first = t.values[start];
  // True, False and None by CPython's rule; lambda and not by their kind.
  if (t.kinds[start] === TokenKind.Name && KEYWORDS.has(first as string)) {
    return undefined;
  }
  if (t.kinds[start] === TokenKind.Op && (first === "[" || first === "{")) {
    return undefined; // Displays: CPython's rule leaves lists out.
  }
  // Subscripts are refused and leave no node of their own.
  if (t.kinds[p.i - 1] === TokenKind.Op && t.values[p.i - 1] === "]") {
    return "subscript";
  }
  switch (node.kind) {
    case NodeKind.Name:
      // A bare name gets a hint of its own; `(x)` is named like the rest.
      return p.i === start + 1 ? "bare name" : "name";
    case NodeKind.Constant:
      return "literal";
    case NodeKind.Unary:
    case NodeKind.Binary:
    case NodeKind.Power:
      return "expression";
    case NodeKind.Call:
      return "function call";
    case NodeKind.Attribute:
      return "attribute";
  }
  return undefined; // Comparisons and looser: CPython's rule reads no further.
}

/** Fails on `f(x + 1 = 2)`, an argument starting at `start`. */
export function failAssignmentInCall(p: ParserState, start: number): never {
  failWith(
    p,
    'expression cannot contain assignment, perhaps you meant "=="?',
    p.line(start),
  );
}

/**
 * Fails on a positional argument at `start` after a keyword argument
 * (`keyword`) or after `**` unpacking.
 */
export function failPositionalAfterKeyword(
  p: ParserState,
  start: number,
  keyword: boolean,
): never {
  const message = keyword
    ? "positional argument follows keyword argument"
    : "positional argument follows keyword argument unpacking";
  failWith(p, message, p.line(start));
}

/**
 * Fails with one of CPython's special messages on `line`, or plainly while
 * probing, where a failure only means "does not parse".
 */
export function failWith(p: ParserState, message: string, line: number): never {
  if (p.probing) failAt(p);
  throw syntaxError(message, line);
}

/**
 * Notes a keyword argument repeated in one call, on `line`: CPython's
 * compiler reports it only once the whole input has parsed.
 */
export function noteRepeatedKeyword(
  p: ParserState,
  name: string,
  line: number,
): void {
  p.compileError ??= syntaxError(`keyword argument repeated: ${name}`, line);
}
