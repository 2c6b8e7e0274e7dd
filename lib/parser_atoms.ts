/**
 * The full parser's atoms: numbers, names, `True` and `False`, and
 * parenthesized expressions, plus the literals the calculator parses only
 * to refuse (strings, `None`, `...`, complex numbers, lists, dicts, sets).
 *
 * @module
 */

import { skipComprehension } from "./parser_calls.ts";
import { failAt } from "./parser_errors.ts";
import { syntaxError } from "./syntax_error.ts";
import {
  parseBitwiseOr,
  parseBracketedItem,
  parseExpression,
  parseExpressions,
} from "./parser_operators.ts";
import { KEYWORDS } from "./parse_tokens.ts";
import type { ParserState } from "./parser_state.ts";
import { type Node, NodeKind } from "./syntax_tree.ts";
import { TokenKind } from "./parse_tokens.ts";

/** The single token or bracketed group an expression is built from. */
export function parseAtom(p: ParserState): Node {
  const kind = p.kind();
  const value = p.value();
  switch (kind) {
    case TokenKind.Number:
      p.i++;
      return { kind: NodeKind.Constant, depth: 1, value: value as bigint };
    case TokenKind.Imaginary:
      p.i++;
      return refused(p, "complex numbers are not supported by the calculator");
    case TokenKind.String:
      while (p.kind() === TokenKind.String) p.i++;
      return refused(p, "strings are not supported by the calculator");
    case TokenKind.Name:
      return parseNameAtom(p, value as string);
    case TokenKind.Op:
      return parseBracketAtom(p, value as string);
  }
  failAt(p);
}

/** Notes why the calculator refuses an atom, and stands in for it. */
function refused(p: ParserState, message: string): Node {
  p.refuse(message);
  return { kind: NodeKind.Constant, depth: 1, value: 0n };
}

function parseNameAtom(p: ParserState, name: string): Node {
  if (name === "True" || name === "False" || name === "None") {
    p.i++;
    if (name === "None") p.refuse("None is not supported by the calculator");
    return { kind: NodeKind.Constant, depth: 1, value: name === "True" };
  }
  if (KEYWORDS.has(name)) failAt(p);
  p.i++;
  return { kind: NodeKind.Name, depth: 1, name };
}

function parseBracketAtom(p: ParserState, op: string): Node {
  if (op === "(") return parseParenthesized(p);
  if (op === "[" || op === "{") {
    skipDisplay(p, op === "[" ? "]" : "}");
    return { kind: NodeKind.Constant, depth: 1, value: 0n };
  }
  if (op === "...") {
    p.i++;
    return refused(p, "Ellipsis is not supported by the calculator");
  }
  failAt(p);
}

function parseParenthesized(p: ParserState): Node {
  p.i++;
  if (p.isOp(")")) {
    p.i++;
    return { kind: NodeKind.Tuple, depth: 1, items: [] };
  }
  if (p.isOp("**")) failDoubleStarred(p);
  const start = p.i;
  const starred = p.isOp("*");
  const node = parseExpressions(p);
  if (starred && node.kind !== NodeKind.Tuple && p.isOp(")")) {
    throw syntaxError("cannot use starred expression here", p.line(start));
  }
  if (p.isKeyword("for") || p.isKeyword("async")) skipComprehension(p);
  p.expect(")");
  return node;
}

/** Fails on `(**x`, with CPython's message when `)` follows `x`. */
function failDoubleStarred(p: ParserState): never {
  const start = p.i;
  p.i++;
  const operand = p.probe(() => parseExpression(p));
  if (operand !== undefined && p.isOp(")") && !p.probing) {
    throw syntaxError(
      "cannot use double starred expression here",
      p.line(start),
    );
  }
  p.i = start;
  failAt(p);
}

/** A list, set or dict display, parsed for syntax and refused. */
function skipDisplay(p: ParserState, close: string): void {
  p.i++;
  p.refuse(
    close === "]"
      ? "lists are not supported by the calculator"
      : "dicts and sets are not supported by the calculator",
  );
  while (!p.isOp(close)) {
    skipDisplayItem(p, close);
    if (p.isKeyword("for") || p.isKeyword("async")) {
      skipComprehension(p);
      break; // A comprehension is the display's only item.
    }
    if (!p.isOp(",")) break;
    p.i++;
  }
  p.expect(close);
}

/** One item of a display: `**mapping`, `key: value` or an expression. */
function skipDisplayItem(p: ParserState, close: string): void {
  if (p.isOp("**") && close === "}") {
    p.i++;
    parseBitwiseOr(p);
    return;
  }
  parseBracketedItem(p);
  if (close === "}" && p.isOp(":")) {
    p.i++;
    parseExpression(p);
  }
}
