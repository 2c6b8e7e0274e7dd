/**
 * The full parser's rules for what may follow an atom: `.name`, calls
 * with their arguments, and subscripts, which the calculator refuses.
 *
 * @module
 */

import { parseAtom } from "./parser_atoms.ts";
import {
  failAssignmentInCall,
  failAt,
  failPositionalAfterKeyword,
  failWith,
  noteRepeatedKeyword,
} from "./parser_errors.ts";
import { parseExpression, skipAssignmentTarget } from "./parser_operators.ts";
import { KEYWORDS } from "./parse_tokens.ts";
import type { ParserState } from "./parser_state.ts";
import { maxDepth, type Node, NodeKind } from "./syntax_tree.ts";
import { TokenKind } from "./parse_tokens.ts";

/** An atom followed by any number of attributes, calls and subscripts. */
export function parsePrimary(p: ParserState): Node {
  let node = parseAtom(p);
  for (;;) {
    const object = node;
    const next = p.probing
      ? p.attempt(() => parseTrailer(p, object))
      : parseTrailer(p, object);
    if (next === undefined || next === object) return node;
    node = next;
  }
}

/** `.name`, a call or a subscript after `object`, or `object` itself. */
function parseTrailer(p: ParserState, object: Node): Node {
  if (p.isOp(".")) {
    p.i++;
    const name = p.value() as string;
    if (p.kind() !== TokenKind.Name || KEYWORDS.has(name)) failAt(p);
    p.i++;
    return { kind: NodeKind.Attribute, depth: object.depth + 1, object, name };
  }
  if (p.isOp("(")) return parseCall(p, object);
  if (p.isOp("[")) {
    skipSubscript(p);
    return { ...object };
  }
  return object;
}

/** The arguments of a call, as the call node builds them up. */
interface Arguments {
  readonly args: Node[];
  readonly keywordNames: string[];
  readonly keywordValues: Node[];
  /**
   * The keyword names so far: a set finds a repeated keyword in linear
   * time, and a call may have thousands of keyword arguments.
   */
  readonly seen: Set<string>;
  unpackedKeywords: boolean;
  /** Where an unparenthesized generator expression starts, if any. */
  generatorAt?: number;
  count: number;
}

function parseCall(p: ParserState, callee: Node): Node {
  p.i++;
  const found: Arguments = {
    args: [],
    keywordNames: [],
    keywordValues: [],
    seen: new Set(),
    unpackedKeywords: false,
    count: 0,
  };
  while (!p.isOp(")")) {
    parseArgument(p, found);
    found.count++;
    if (!p.isOp(",")) break;
    p.i++;
  }
  const trailingComma = p.isOp(",", -1);
  p.expect(")");
  if (found.generatorAt !== undefined && (found.count > 1 || trailingComma)) {
    failWith(p, UNPARENTHESIZED_GENERATOR, p.line(found.generatorAt));
  }
  const { args, keywordNames, keywordValues } = found;
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

/** One argument of a call: unpacked, keyword or positional. */
function parseArgument(p: ParserState, found: Arguments): void {
  if (p.isOp("*") || p.isOp("**")) {
    if (p.isOp("*") && found.unpackedKeywords) {
      // CPython's order puts every `*` before any `**`.
      failWith(p, STAR_AFTER_DOUBLE_STAR, p.line());
    }
    found.unpackedKeywords ||= p.isOp("**");
    p.i++;
    p.refuse("argument unpacking is not supported by the calculator");
    parseExpression(p);
  } else if (p.kind() === TokenKind.Name && p.isOp("=", 1)) {
    const name = p.value() as string;
    if (CONSTANT_NAMES.has(name)) {
      failWith(p, `cannot assign to ${name}`, p.line());
    }
    if (KEYWORDS.has(name)) parsePositionalArgument(p, found);
    else parseKeywordArgument(p, found);
  } else {
    const target = p.i;
    skipAssignmentTarget(p);
    parsePositionalArgument(p, found, p.i !== target);
  }
}

/** Only a sole argument may be a bare generator: `f(x for x in y, 1)`. */
const UNPARENTHESIZED_GENERATOR = "Generator expression must be parenthesized";
const STAR_AFTER_DOUBLE_STAR =
  "iterable argument unpacking follows keyword argument unpacking";

/** Keywords that name values: `f(True=1)` assigns to one. */
const CONSTANT_NAMES: ReadonlySet<string> = new Set([
  "True",
  "False",
  "None",
  "__debug__",
]);

function parseKeywordArgument(p: ParserState, found: Arguments): void {
  const name = p.value() as string;
  const line = p.line();
  p.i += 2;
  found.keywordValues.push(parseExpression(p));
  if (found.seen.has(name)) noteRepeatedKeyword(p, name, line);
  found.seen.add(name);
  found.keywordNames.push(name);
}

function parsePositionalArgument(
  p: ParserState,
  found: Arguments,
  assigned = false,
): void {
  const start = p.i;
  const arg = parseExpression(p);
  if (p.isKeyword("for") || p.isKeyword("async")) {
    skipComprehension(p);
    found.generatorAt ??= start;
    // Wherever it stands, only a sole argument may be a bare generator.
    if (found.count > 0) failWith(p, UNPARENTHESIZED_GENERATOR, p.line(start));
  }
  if (p.isOp("=")) {
    if (assigned) failAt(p); // `f(x := 1 = 2)`
    failAssignmentInCall(p, start);
  }
  const afterKeyword = found.keywordNames.length > 0;
  if (afterKeyword || found.unpackedKeywords) {
    failPositionalAfterKeyword(p, start, afterKeyword);
  }
  found.args.push(arg);
}

/**
 * Skips a comprehension's clauses up to the closing bracket, or up to a
 * comma beside them, which ends a generator argument of a call.
 */
export function skipComprehension(p: ParserState): void {
  p.refuse("comprehensions are not supported by the calculator");
  const levels = p.tokens.levels;
  const level = levels[p.i];
  while (levels[p.i] > level || (levels[p.i] === level && !p.isOp(","))) {
    const kind = p.kind();
    if (kind === TokenKind.End || kind === TokenKind.FailsWhenRead) failAt(p);
    // Unbracketed, := may not stand in a comprehension's clauses.
    if (levels[p.i] === level && p.isOp(":=")) failAt(p);
    p.i++;
  }
}

/** A subscript, parsed for syntax and refused. */
function skipSubscript(p: ParserState): void {
  p.i++;
  p.refuse("subscripts are not supported by the calculator");
  while (!p.isOp("]")) {
    if (!p.isOp(":")) parseExpression(p);
    while (p.isOp(":")) {
      p.i++;
      if (!p.isOp(":") && !p.isOp(",") && !p.isOp("]")) parseExpression(p);
    }
    if (!p.isOp(",")) break;
    p.i++;
  }
  p.expect("]");
}
