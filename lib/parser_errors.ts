/**
 * The full parser's syntax errors, with CPython's messages: the generic
 * `invalid syntax` at the token where parsing stopped, and the special
 * messages CPython's grammar gives for a missing `else`, a missing comma
 * and misplaced arguments. Some of them need a second, probing parse to
 * decide, as CPython's PEG parser decides them by backtracking.
 *
 * @module
 */

import { parseBinary, parseExpression } from "./parser_operators.ts";
import type { ParserState } from "./parser_state.ts";
import { OR } from "./operators.ts";
import { makePyException } from "./py_exception.ts";
import { PyException } from "./py_value.ts";
import { syntaxError } from "./syntax_error.ts";
import type { Node } from "./syntax_tree.ts";
import { TokenKind } from "./parse_tokens.ts";

/** Names after which a following expression is no missing comma. */
const SOFT_KEYWORDS = new Set(["_", "match", "case"]);

/** A syntax error at the token where parsing stopped, without detail. */
export class InvalidSyntax extends PyException {}

/**
 * Fails at the current token with CPython's generic message, or with the
 * tokenizer's message when the token is an error token.
 */
export function failAt(p: ParserState): never {
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
  const t = p.tokens;
  if (t.kinds[start] === TokenKind.Name) {
    if (SOFT_KEYWORDS.has(t.values[start] as string)) return;
    if (t.kinds[start + 1] === TokenKind.String) return;
  }
  const resume = p.i;
  const nesting = p.nesting;
  p.probing = true;
  let parsed = false;
  try {
    parseExpression(p);
    parsed = true;
  } catch (error) {
    if (!(error instanceof PyException)) throw error;
  }
  p.probing = false;
  p.nesting = nesting;
  const insideBrackets = t.levels[p.i - 1] > 0;
  p.i = resume;
  if (parsed && insideBrackets) {
    throw syntaxError(
      "invalid syntax. Perhaps you forgot a comma?",
      p.line(start),
    );
  }
}

/** Fails on `f(x + 1 = 2)`, an argument starting at `start`. */
export function failAssignmentInCall(p: ParserState, start: number): never {
  if (p.probing) failAt(p);
  throw syntaxError(
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
  if (p.probing) failAt(p);
  const message = keyword
    ? "positional argument follows keyword argument"
    : "positional argument follows keyword argument unpacking";
  throw syntaxError(message, p.line(start));
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
