/**
 * The token reader of `fast_parser.ts`: it reads one token at a time,
 * straight from the characters, and turns anything outside the fast
 * parser's subset into a `Stopped` token. On request it keeps the tokens
 * the parser steps over, as the tokenizer would have read them, so that
 * the tokenizer can go on from them.
 *
 * @module
 */

import { type NumberLiteral, scanNumber } from "./number_literal.ts";
import {
  KEYWORDS,
  TokenBuffer,
  TokenKind,
  type TokenPrefix,
} from "./parse_tokens.ts";
import { codeAt, PlainNumber, readPlainNumber } from "./plain_number.ts";
import { PyException } from "./py_value.ts";
import { AND, COMPARE, OR, PRECEDENCE } from "./operators.ts";
import { isDigit } from "./source_chars.ts";

/**
 * Open brackets beyond this stop the fast parser, which keeps its
 * recursion shallow and leaves CPython's limit of 200 to the full parser.
 */
const MAX_LEVEL = 100;

/** Shared by all scanners, which read one number at a time. */
const PLAIN = new PlainNumber();

/** Operators of one character, by character code. */
const SINGLE = operatorTable(["+", "-", "*", "/", "%", "&", "|", "^", "~"]
  .concat(["<", ">", "(", ")", "[", "]", "=", ".", ","]));

/** `**`, `//`, `<<` and `>>`, by the code of their repeated character. */
const DOUBLED = operatorTable(["**", "//", "<<", ">>"]);

/** `<=`, `>=`, `==` and `!=`, by the code of their first character. */
const WITH_EQUALS = operatorTable(["<=", ">=", "==", "!="]);

/** `PRECEDENCE` of the one-character operators, by character code. */
const SINGLE_PRECEDENCE = precedenceTable();

function precedenceTable(): Uint8Array {
  const table = new Uint8Array(128);
  for (const [op, power] of PRECEDENCE) {
    if (op.length === 1) table[op.charCodeAt(0)] = power;
  }
  return table;
}

function operatorTable(ops: string[]): (string | undefined)[] {
  const table: (string | undefined)[] = [];
  for (const op of ops) table[op.charCodeAt(0)] = op;
  return table;
}

/** The kinds of token the fast parser reads. */
export const enum Token {
  End,
  Number,
  Name,
  Op,
  /** A plain one-line string literal, which is parsed only to be refused. */
  String,
  /** Parsing gave up: no rule matches this token, so every one returns. */
  Stopped,
}

/**
 * The tokens the fast parser has read, kept as the tokenizer would keep
 * them, for the tokenizer to go on from if the fast parser gives up.
 */
class PrefixRecorder {
  readonly buffer: TokenBuffer;
  readonly openBrackets: string[] = [];

  constructor(source: string) {
    this.buffer = new TokenBuffer(source);
  }

  /** Adds an operator token, following the brackets it opens or closes. */
  addOp(op: string, level: number): void {
    if (op === "(" || op === "[") this.openBrackets.push(op);
    else if (op === ")" || op === "]") this.openBrackets.pop();
    this.buffer.push(TokenKind.Op, op, 1, level);
  }
}

/** Reads the tokens of one input, one at a time. */
export class FastScanner {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields here at about half the speed, which doubled the time per token.
  private src = "";
  /** Where the character after the current token is. */
  private pos = 0;
  /** Where the current token starts. */
  private tokenStart = 0;
  private recorder: PrefixRecorder | undefined;
  /** How many brackets are open after the current token. */
  level = 0;
  /** The current token's kind. */
  kind = Token.End;
  /** The operator or name text of the current token. */
  text = "";
  /**
   * Whether the current `Name` token may be a keyword, told from its
   * length and first letter; when false, it is certainly none.
   */
  mayBeKeyword = false;
  /** The binding power of the current token as a binary operator, or 0. */
  precedence = 0;
  /** The value of a `Number` token. */
  value: bigint | number = 0;

  /**
   * Starts at the first token of `source`. With `record`, the scanner
   * keeps every token the parser steps over, for `prefix()`. One scanner
   * reads input after input, which spares making one for each.
   */
  start(source: string, record: boolean): void {
    this.src = source;
    this.pos = 0;
    this.tokenStart = 0;
    this.recorder = record ? new PrefixRecorder(source) : undefined;
    this.level = 0;
    this.kind = Token.End;
    this.next();
  }

  /**
   * The tokens stepped over so far, as the tokenizer would have read them,
   * when the scanner was made to record them.
   */
  prefix(): TokenPrefix | undefined {
    const recorder = this.recorder;
    if (recorder === undefined) return undefined;
    const { buffer, openBrackets } = recorder;
    return { buffer, end: this.tokenStart, openBrackets };
  }

  /** Keeps the current token, which the parser is stepping over. */
  private record(recorder: PrefixRecorder): void {
    const buffer = recorder.buffer;
    switch (this.kind) {
      case Token.Number:
        return buffer.push(TokenKind.Number, this.value, 1, this.level);
      case Token.Name:
        return buffer.push(TokenKind.Name, this.text, 1, this.level);
      case Token.Op:
        return recorder.addOp(this.text, this.level);
      case Token.String: {
        const literal = this.src.slice(this.tokenStart, this.pos);
        return buffer.push(TokenKind.String, literal, 1, this.level);
      }
    }
  }

  /** Makes the current token `Stopped`, for good. */
  reject(): void {
    this.kind = Token.Stopped;
    this.precedence = 0;
  }

  /** Reads the next token into `kind`, `text`, `value` and `precedence`. */
  next(): void {
    if (this.kind === Token.Stopped) return;
    if (this.recorder !== undefined) this.record(this.recorder);
    const src = this.src;
    let c = codeAt(src, this.pos);
    while (c === 0x20 || c === 0x09) c = codeAt(src, ++this.pos);
    this.tokenStart = this.pos;
    if (this.pos >= src.length) {
      this.kind = Token.End;
      this.precedence = 0;
    } else if (
      isDigit(c) || (c === 0x2e && isDigit(codeAt(src, this.pos + 1)))
    ) {
      this.number();
    } else if (isNameStart(c)) {
      this.name();
    } else if (c === 0x22 || c === 0x27) {
      this.string(c);
    } else {
      this.operator(c);
    }
  }

  private number(): void {
    if (readPlainNumber(this.src, this.pos, PLAIN)) {
      this.setNumber(PLAIN.value, PLAIN.end);
    } else {
      this.otherNumber(this.pos);
    }
  }

  /**
   * Reads a literal `readPlainNumber()` leaves alone (`0x1f`, `1_000`,
   * `.5`, long ints) with the full scanner. A malformed literal is left to
   * the full parser, which also knows whether an earlier error comes first.
   */
  private otherNumber(start: number): void {
    let literal: NumberLiteral;
    try {
      literal = scanNumber(this.src, start, 1);
    } catch (error) {
      if (!(error instanceof PyException)) throw error;
      return this.reject();
    }
    const ok = !literal.imaginary &&
      endsNumber(codeAt(this.src, literal.end));
    if (ok) this.setNumber(literal.value, literal.end);
    else this.reject();
  }

  private setNumber(value: bigint | number, end: number): void {
    this.kind = Token.Number;
    this.precedence = 0;
    this.value = value;
    this.pos = end;
  }

  private name(): void {
    const src = this.src;
    const start = this.pos;
    let end = start + 1;
    while (isNameChar(codeAt(src, end))) end++;
    const after = codeAt(src, end);
    // A quote would make the name a string prefix.
    if (after >= 0x80 || after === 0x22 || after === 0x27) {
      return this.reject();
    }
    this.kind = Token.Name;
    this.text = src.slice(start, end);
    this.pos = end;
    const length = end - start;
    this.mayBeKeyword = length <= 8 &&
      KEYWORDS_BY_INITIAL[codeAt(src, start)] !== undefined;
    // Only `in`, `is`, `or`, `and` and `not` are (or begin) operators.
    this.precedence = this.mayBeKeyword && length <= 3
      ? this.wordPrecedence()
      : 0;
  }

  /**
   * `and`, `or`, `in`, `is` and `not in` are binary operators. Comparing
   * is quicker than a lookup in `PRECEDENCE`, which would hash each name
   * anew, as every name is a new string.
   */
  private wordPrecedence(): number {
    const text = this.text;
    if (text === "in" || text === "is") return COMPARE;
    if (text === "and") return AND;
    if (text === "or") return OR;
    if (text === "not") return this.nextIsIn() ? COMPARE : 0;
    return 0;
  }

  /**
   * Reads a string literal without prefix, escapes or line breaks; empty
   * and triple-quoted ones are left to the full parser.
   */
  private string(quote: number): void {
    const src = this.src;
    let end = this.pos + 1;
    let c = codeAt(src, end);
    if (c === quote) return this.reject();
    while (c !== quote) {
      const special = c === 0x5c || c === 0x0a || c === 0x0d;
      if (special || end >= src.length) return this.reject();
      c = codeAt(src, ++end);
    }
    this.kind = Token.String;
    this.precedence = 0;
    this.pos = end + 1;
  }

  private operator(c: number): void {
    const src = this.src;
    const second = codeAt(src, this.pos + 1);
    let op = SINGLE[c];
    if (second === c && DOUBLED[c] !== undefined) op = DOUBLED[c];
    else if (second === 0x3d && WITH_EQUALS[c] !== undefined) {
      op = WITH_EQUALS[c];
    }
    // `...` is one token, Ellipsis, which the tokenizer reads as one.
    const ellipsis = c === 0x2e && second === 0x2e &&
      codeAt(src, this.pos + 2) === 0x2e;
    if (op === undefined || ellipsis) return this.reject();
    // `+=`, `**=`, `->` and the like belong to statements.
    const follower = codeAt(src, this.pos + op.length);
    if (follower === 0x3d || (c === 0x2d && second === 0x3e)) {
      return this.reject();
    }
    if ((op === "(" || op === "[") && ++this.level > MAX_LEVEL) {
      return this.reject();
    }
    if (op === ")" || op === "]") this.level--;
    this.kind = Token.Op;
    this.text = op;
    this.pos += op.length;
    this.precedence = op.length === 1
      ? SINGLE_PRECEDENCE[c]
      : PRECEDENCE.get(op) ?? 0;
  }

  /** Whether the current token is a keyword. */
  atKeyword(): boolean {
    return this.kind === Token.Name && this.mayBeKeyword &&
      isKeyword(this.text);
  }

  /** Whether the token after the current one is the keyword `in`. */
  nextIsIn(): boolean {
    const src = this.src;
    let i = this.pos;
    while (codeAt(src, i) === 0x20 || codeAt(src, i) === 0x09) i++;
    return src.startsWith("in", i) && !isNameChar(codeAt(src, i + 2));
  }

  /** Whether the current name is followed by a lone `=`. */
  atKeywordArgument(): boolean {
    const src = this.src;
    let i = this.pos;
    while (codeAt(src, i) === 0x20 || codeAt(src, i) === 0x09) i++;
    return codeAt(src, i) === 0x3d && codeAt(src, i + 1) !== 0x3d;
  }
}

/** The keywords, by the code of their first character. */
const KEYWORDS_BY_INITIAL: string[][] = keywordsByInitial();

function keywordsByInitial(): string[][] {
  const table: string[][] = [];
  for (const word of KEYWORDS) (table[word.charCodeAt(0)] ??= []).push(word);
  return table;
}

/**
 * Whether the name `text` is a keyword. Comparing it with the few
 * keywords of its first letter costs less than looking it up in
 * `KEYWORDS`, which would first hash the new string in the runtime.
 */
function isKeyword(text: string): boolean {
  const words = KEYWORDS_BY_INITIAL[text.charCodeAt(0)];
  if (words === undefined) return false;
  for (let i = 0; i < words.length; i++) if (words[i] === text) return true;
  return false;
}

/** Whether `c` may follow a number literal in this parser's subset. */
function endsNumber(c: number): boolean {
  return !isNameChar(c) && c !== 0x2e && !(c >= 0x80);
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}
