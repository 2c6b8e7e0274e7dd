/**
 * The state the full parser's rules share: the tokens, the position in
 * them, and what the rules have learnt about the input so far.
 *
 * @module
 */

import {
  failAt,
  failIfTokenizerFailsAt,
  TokenizerFailure,
} from "./parser_errors.ts";
import { PyException } from "./py_value.ts";
import { KEYWORDS, TokenKind, type Tokens } from "./parse_tokens.ts";

/** Names that start a valid expression even though they are keywords. */
const EXPRESSION_KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "not",
  "lambda",
  "await",
]);

/** Operators that can begin an expression. */
const PREFIX_OPS = new Set(["(", "[", "{", "-", "+", "~", "..."]);

/** One pass of the full parser over the tokens of one input. */
export class ParserState {
  /** The tokens being parsed. */
  readonly tokens: Tokens;
  /** Whether the source held nothing but spaces and tabs. */
  readonly emptySource: boolean;
  /** The index of the current token. */
  i = 0;
  /** How many expressions enclose the one being parsed. */
  nesting = 0;
  /** While probing, errors are plain failures without special messages. */
  probing = false;
  /** Why the calculator refuses the input, once it has parsed. */
  unsupported: string | undefined;
  /** An error CPython's compiler raises after the parser has succeeded. */
  compileError: PyException | undefined;

  constructor(tokens: Tokens, emptySource: boolean) {
    this.tokens = tokens;
    this.emptySource = emptySource;
  }

  /** The kind of the token `offset` tokens on. */
  kind(offset = 0): TokenKind {
    return this.tokens.kinds[this.i + offset] as TokenKind;
  }

  /** The value of the token `offset` tokens on. */
  value(offset = 0): unknown {
    return this.tokens.values[this.i + offset];
  }

  /** Whether the token `offset` tokens on is the operator `op`. */
  isOp(op: string, offset = 0): boolean {
    return this.kind(offset) === TokenKind.Op && this.value(offset) === op;
  }

  /** Whether the current token is the name `word`. */
  isKeyword(word: string): boolean {
    return this.kind() === TokenKind.Name && this.value() === word;
  }

  /** The line the token at `index` starts on. */
  line(index = this.i): number {
    return this.tokens.lines[index];
  }

  /** Steps over the operator `op`, failing when it is not there. */
  expect(op: string): void {
    if (!this.isOp(op)) failAt(this);
    this.i++;
  }

  /**
   * Parses with `parse`; while probing, a failure instead restores the
   * position and gives `undefined`, as a PEG parser backtracks.
   */
  attempt<T>(parse: () => T): T | undefined {
    if (!this.probing) return parse();
    const start = this.i;
    const nesting = this.nesting;
    try {
      const parsed = parse();
      failIfTokenizerFailsAt(this, this.i);
      return parsed;
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
      if (error instanceof TokenizerFailure) throw error;
      this.i = start;
      this.nesting = nesting;
      return undefined;
    }
  }

  /**
   * Parses with `parse` while probing, as CPython's second pass tries a
   * rule: a failure gives `undefined` with the position restored, success
   * leaves the position after what it read. The nesting count and whether
   * probing are restored either way.
   */
  probe<T>(parse: () => T): T | undefined {
    const probing = this.probing;
    const nesting = this.nesting;
    this.probing = true;
    try {
      return this.attempt(parse);
    } finally {
      this.probing = probing;
      this.nesting = nesting;
    }
  }

  /** Notes the first construct that is valid Python but unsupported. */
  refuse(message: string): void {
    this.unsupported ??= message;
  }

  /** Whether the current token can begin an expression. */
  startsExpression(): boolean {
    switch (this.kind()) {
      case TokenKind.Number:
      case TokenKind.String:
      case TokenKind.Imaginary:
        return true;
      case TokenKind.Name: {
        const name = this.value() as string;
        return !KEYWORDS.has(name) || EXPRESSION_KEYWORDS.has(name);
      }
      case TokenKind.Op:
        return PREFIX_OPS.has(this.value() as string);
    }
    return false;
  }
}
