/**
 * Splits an expression into tokens the way CPython's tokenizer does for
 * `eval()`, reporting CPython's `SyntaxError` messages.
 *
 * The whole input is tokenized before parsing. CPython tokenizes lazily but,
 * when parsing fails, scans the rest of the input for tokenizer errors and
 * reports those first, so eager tokenizing gives the same error. Errors that
 * CPython reports only when the parser stops at them (a stray `$`, a
 * misplaced backslash, an unexpected indent) become `ERROR` tokens instead.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import type { PyValue } from "./py_value.ts";
import { scanNumber } from "./number_literal.ts";
import { PlainNumber, readPlainNumber } from "./plain_number.ts";
import {
  checkIdentifier,
  invalidCharacter,
  isDigit,
  isNameChar,
  isNameStart,
  isStringPrefix,
} from "./source_chars.ts";
import { syntaxError } from "./syntax_error.ts";
import {
  TokenBuffer,
  TokenKind,
  type TokenPrefix,
  type Tokens,
} from "./parse_tokens.ts";

export { TokenKind, type Tokens } from "./parse_tokens.ts";

/** CPython's limit on open brackets. */
const MAX_LEVEL = 200;

/** Operators of three, two and one characters, longest first. */
const OPERATORS_3 = new Set(["**=", "//=", ">>=", "<<=", "..."]);
const OPERATORS_2 = new Set([
  "**",
  "//",
  "<<",
  ">>",
  "<=",
  ">=",
  "==",
  "!=",
  "->",
  ":=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "&=",
  "|=",
  "^=",
  "@=",
]);
/** Single-character operators by character code. */
const SINGLE_OPERATORS: (string | undefined)[] = [];
for (const op of "+-*/%@&|^~<>()[]{},:;.=") {
  SINGLE_OPERATORS[op.charCodeAt(0)] = op;
}

/**
 * Tokenizes `source` as `eval()` would, raising CPython's tokenizer
 * `SyntaxError`s. Given the `prefix` of tokens the fast parser's scanner
 * read of `source`, it reads only the rest.
 *
 * @example
 * ```ts
 * import { tokenize } from "./tokenizer.ts";
 * tokenize("1 + 2").values; // [1n, "+", 2n, "", ""]
 * ```
 */
export function tokenize(source: string, prefix?: TokenPrefix): Tokens {
  if (source.includes("\0")) {
    throw makePyException(
      "SyntaxError",
      "source code string cannot contain null bytes",
    );
  }
  if (prefix !== undefined && prefix.buffer.count > 0) {
    const tokenizer = new Tokenizer(source, prefix.buffer);
    tokenizer.resume(prefix);
    return tokenizer.run();
  }
  const tokenizer = new Tokenizer(source, new TokenBuffer(source));
  tokenizer.start();
  return tokenizer.run();
}

/** The state of one pass over the input. */
class Tokenizer {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields more slowly, as `fast_scanner.ts` explains.
  private readonly src: string;
  private pos = 0;
  private line = 1;
  private readonly plain = new PlainNumber();
  private brackets: { char: string; line: number }[] = [];
  private readonly buffer: TokenBuffer;
  /** Whether the current logical line has produced a token yet. */
  private lineHasTokens = false;

  constructor(source: string, buffer: TokenBuffer) {
    this.src = source;
    this.buffer = buffer;
  }

  /** Readies the pass to start at the beginning of the input. */
  start(): void {
    const source = this.src;
    // eval() strips leading spaces and tabs, so they are no indent.
    while (this.pos < source.length) {
      const c = source.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09) break;
      this.pos++;
    }
    this.lineStart();
  }

  /** Readies the pass to go on after the tokens of `prefix`. */
  resume(prefix: TokenPrefix): void {
    this.pos = prefix.end;
    this.brackets = prefix.openBrackets.map((char) => ({ char, line: 1 }));
    this.lineHasTokens = true;
  }

  run(): Tokens {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0c) {
        this.pos++;
      } else if (c === 0x0a || c === 0x0d) {
        this.newline(c);
      } else if (c === 0x23) {
        this.skipComment();
      } else if (c === 0x5c) {
        this.continuation();
      } else {
        this.token(c);
      }
    }
    if (this.brackets.length > 0) {
      const open = this.brackets[this.brackets.length - 1];
      this.push(
        TokenKind.FailsWhenRead,
        `'${open.char}' was never closed`,
        open.line,
      );
    }
    if (this.lineHasTokens) this.push(TokenKind.Newline, "", this.line);
    // CPython puts the end on the last line that holds any character.
    const last = src.charCodeAt(src.length - 1);
    const endLine = last === 0x0a || last === 0x0d ? this.line - 1 : this.line;
    this.push(TokenKind.End, "", endLine);
    return this.buffer.tokens();
  }

  private push(kind: TokenKind, value: PyValue | string, line: number): void {
    this.buffer.push(kind, value, line, this.brackets.length);
    this.lineHasTokens = true;
  }

  /** Adds an `Error` token raising `errorType` (`SyntaxError` if none). */
  private pushError(message: string, line: number, errorType?: string): void {
    if (errorType !== undefined) this.buffer.setNextErrorType(errorType);
    this.push(TokenKind.Error, message, line);
  }

  private newline(c: number): void {
    this.pos++;
    if (c === 0x0d && this.src.charCodeAt(this.pos) === 0x0a) this.pos++;
    if (this.brackets.length === 0 && this.lineHasTokens) {
      this.push(TokenKind.Newline, "", this.line);
      this.lineHasTokens = false;
      this.line++;
      this.lineStart();
    } else {
      this.line++;
      if (this.brackets.length === 0) this.lineStart();
    }
  }

  /** Measures the indent of a new logical line; blank lines are skipped. */
  private lineStart(): void {
    const src = this.src;
    let column = 0;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x20) column++;
      else if (c === 0x09) column = (Math.floor(column / 8) + 1) * 8;
      else if (c === 0x0c) column = 0;
      else break;
      this.pos++;
    }
    const c = src.charCodeAt(this.pos);
    const blank = this.pos >= src.length || c === 0x0a || c === 0x0d ||
      c === 0x23 || c === 0x5c;
    if (column > 0 && !blank) {
      this.pushError("unexpected indent", this.line, "IndentationError");
    }
  }

  private skipComment(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c === 0x0a || c === 0x0d) break;
      this.pos++;
    }
  }

  /** A backslash joins lines; before anything but a newline it is an error. */
  private continuation(): void {
    const src = this.src;
    const next = src.charCodeAt(this.pos + 1);
    if (next === 0x0a || next === 0x0d) {
      this.pos += next === 0x0d && src.charCodeAt(this.pos + 2) === 0x0a
        ? 3
        : 2;
      this.line++;
      if (this.pos >= src.length) {
        const message = "unexpected EOF while parsing";
        this.push(TokenKind.FailsWhenRead, message, this.line - 1);
      }
      return;
    }
    const message = "unexpected character after line continuation character";
    this.push(TokenKind.FailsWhenRead, message, this.line);
    this.pos = src.length;
  }

  private token(c: number): void {
    if (
      isDigit(c) || (c === 0x2e && isDigit(this.src.charCodeAt(this.pos + 1)))
    ) {
      this.number();
    } else if (c === 0x22 || c === 0x27) {
      this.string(this.pos);
    } else if (isNameStart(c)) {
      this.name();
    } else {
      this.operator(c);
    }
  }

  private number(): void {
    if (readPlainNumber(this.src, this.pos, this.plain)) {
      this.pos = this.plain.end;
      this.push(TokenKind.Number, this.plain.value, this.line);
      return;
    }
    const scanned = scanNumber(this.src, this.pos, this.line);
    this.pos = scanned.end;
    this.push(
      scanned.imaginary ? TokenKind.Imaginary : TokenKind.Number,
      scanned.value,
      this.line,
    );
  }

  private name(): void {
    const src = this.src;
    const start = this.pos;
    let ascii = true;
    while (this.pos < src.length) {
      const c = src.charCodeAt(this.pos);
      if (c >= 0x80) ascii = false;
      else if (!isNameChar(c)) break;
      this.pos++;
    }
    const next = src.charCodeAt(this.pos);
    if ((next === 0x22 || next === 0x27) && isStringPrefix(src, start)) {
      this.string(start);
      return;
    }
    const text = src.slice(start, this.pos);
    this.push(
      TokenKind.Name,
      ascii ? text : checkIdentifier(text, this.line),
      this.line,
    );
  }

  /** Skips a string literal (unsupported, but its extent matters). */
  private string(start: number): void {
    const src = this.src;
    const startLine = this.line;
    while (
      src.charCodeAt(this.pos) !== 0x22 && src.charCodeAt(this.pos) !== 0x27
    ) {
      this.pos++;
    }
    const quote = src[this.pos];
    const triple = src.startsWith(quote.repeat(3), this.pos);
    this.pos += triple ? 3 : 1;
    for (;;) {
      if (this.pos >= src.length) {
        const what = triple ? "triple-quoted string" : "string";
        throw syntaxError(
          `unterminated ${what} literal (detected at line ${this.line})`,
          startLine,
        );
      }
      const ch = src[this.pos];
      if (ch === "\\") {
        this.pos++;
        this.countNewline();
      } else if (ch === "\n" || ch === "\r") {
        if (!triple) {
          throw syntaxError(
            `unterminated string literal (detected at line ${this.line})`,
            startLine,
          );
        }
        this.countNewline();
      } else if (
        ch === quote && (!triple || src.startsWith(quote.repeat(3), this.pos))
      ) {
        this.pos += triple ? 3 : 1;
        break;
      } else {
        this.pos++;
      }
    }
    this.push(TokenKind.String, src.slice(start, this.pos), startLine);
  }

  /** Steps over one character, counting it when it ends a line. */
  private countNewline(): void {
    const src = this.src;
    const ch = src[this.pos];
    this.pos++;
    if (ch === "\r" && src[this.pos] === "\n") this.pos++;
    if (ch === "\n" || ch === "\r") this.line++;
  }

  private operator(c: number): void {
    const src = this.src;
    // Control characters and non-ASCII ones are the tokenizer's own error in
    // CPython, raised where they stand; other stray ASCII is a parse error.
    if (c >= 0x7f || c < 0x20) {
      throw invalidCharacter(
        String.fromCodePoint(src.codePointAt(this.pos)!),
        this.line,
      );
    }
    const second = src.charCodeAt(this.pos + 1);
    let op: string | undefined = SINGLE_OPERATORS[c];
    // Only these characters can continue an operator.
    if (
      second === 0x3d || second === 0x2a || second === 0x2f ||
      second === 0x3c || second === 0x3e || second === 0x2e
    ) {
      const three = src.slice(this.pos, this.pos + 3);
      const two = three.slice(0, 2);
      if (OPERATORS_3.has(three)) op = three;
      else if (OPERATORS_2.has(two)) op = two;
    }
    if (op === undefined) {
      this.pushError("invalid syntax", this.line);
      this.pos++;
      return;
    }
    this.pos += op.length;
    if (op === "(" || op === "[" || op === "{") this.open(op);
    else if (op === ")" || op === "]" || op === "}") this.close(op);
    this.push(TokenKind.Op, op, this.line);
  }

  private open(char: string): void {
    if (this.brackets.length >= MAX_LEVEL) {
      throw syntaxError("too many nested parentheses", this.line);
    }
    this.brackets.push({ char, line: this.line });
  }

  private close(char: string): void {
    const open = this.brackets.pop();
    if (open === undefined) {
      throw syntaxError(`unmatched '${char}'`, this.line);
    }
    const expected = open.char === "(" ? ")" : open.char === "[" ? "]" : "}";
    if (char !== expected) {
      const where = open.line === this.line ? "" : ` on line ${open.line}`;
      throw syntaxError(
        `closing parenthesis '${char}' does not match opening parenthesis ` +
          `'${open.char}'${where}`,
        this.line,
      );
    }
  }
}
