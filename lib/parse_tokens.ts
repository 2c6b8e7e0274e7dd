/**
 * The token list the full parser reads, and the buffer both scanners fill:
 * the tokenizer always, and the fast parser's scanner while it reads a long
 * input, so that when the fast parser gives up the tokenizer can carry on
 * from where it stopped instead of reading the input again.
 *
 * @module
 */

import type { PyValue } from "./py_value.ts";

/** Python's keywords, which are never names. */
export const KEYWORDS: ReadonlySet<string> = new Set([
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

/** The kinds of token. */
export const enum TokenKind {
  End,
  Newline,
  Number,
  Name,
  Op,
  String,
  Imaginary,
  Error,
  /**
   * Where CPython's tokenizer fails, raising an error only when the parser
   * asks for the token there, which ends the parse whatever rule asked: the
   * end of the input inside brackets (`'(' was never closed`) or after a
   * line continuation, and a backslash followed by anything but a line
   * break. Its value is the message.
   */
  FailsWhenRead,
}

/**
 * The tokens of one input, as parallel arrays indexed by token number.
 * `values` holds the number for `Number`, the normalized name for `Name`,
 * the operator text for `Op`, and the message for `Error`. The others are
 * typed arrays, which a long input fills faster and with less garbage.
 */
export interface Tokens {
  /** The `TokenKind` of each token. */
  readonly kinds: Uint8Array;
  readonly values: (PyValue | string)[];
  /** The 1-based line each token starts on. */
  readonly lines: Uint32Array;
  /** Bracket depth after the token, as CPython records it. */
  readonly levels: Uint8Array;
  /**
   * The Python exception type to raise for an `Error` token, by token
   * number, when it is not `SyntaxError`.
   */
  readonly errorTypes: Map<number, string>;
}

/**
 * The most values made room for at once: V8 keeps longer arrays made at
 * full length as slow dictionaries. The server's longest request fits.
 */
const PRESIZED_VALUES_LIMIT = 65_538;

/** Tokens as they are read, with room for all of one input's. */
export class TokenBuffer {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields more slowly, as `fast_scanner.ts` explains.
  private readonly kinds: Uint8Array;
  private readonly values: (PyValue | string)[];
  private readonly lines: Uint32Array;
  private readonly levels: Uint8Array;
  private readonly errorTypes = new Map<number, string>();
  /** How many tokens have been added. */
  count = 0;

  /**
   * Makes room for the tokens of `source`: each token takes at least one
   * character, except the last `Newline` and the `End`.
   */
  constructor(source: string) {
    const room = source.length + 2;
    // Made at full length: growing it as tokens come costs more.
    this.values = new Array(Math.min(room, PRESIZED_VALUES_LIMIT));
    // One buffer for the three arrays: allocating each costs more.
    const buffer = new ArrayBuffer(room * 6);
    this.lines = new Uint32Array(buffer, 0, room);
    this.kinds = new Uint8Array(buffer, room * 4, room);
    this.levels = new Uint8Array(buffer, room * 5, room);
  }

  /** Adds a token, with the bracket depth after it. */
  push(
    kind: TokenKind,
    value: PyValue | string,
    line: number,
    level: number,
  ): void {
    const n = this.count++;
    this.kinds[n] = kind;
    this.values[n] = value;
    this.lines[n] = line;
    this.levels[n] = level;
  }

  /** Notes that the next token added is an error raising `errorType`. */
  setNextErrorType(errorType: string): void {
    this.errorTypes.set(this.count, errorType);
  }

  /** The tokens added so far, as the parser reads them. */
  tokens(): Tokens {
    const count = this.count;
    this.values.length = count;
    return {
      kinds: this.kinds.subarray(0, count),
      values: this.values,
      lines: this.lines.subarray(0, count),
      levels: this.levels.subarray(0, count),
      errorTypes: this.errorTypes,
    };
  }
}

/**
 * The first tokens of an input, all on line 1, read by the fast parser's
 * scanner before it gave up: the tokenizer resumes at `end`, with the
 * brackets `openBrackets` still open.
 */
export interface TokenPrefix {
  /** The tokens read, every one as the tokenizer would have read it. */
  readonly buffer: TokenBuffer;
  /** Where the first token not read starts. */
  readonly end: number;
  /** The open brackets, `(` or `[`, outermost first. */
  readonly openBrackets: readonly string[];
}

/**
 * Where `fastParse()` leaves the tokens it read of a long input before it
 * gave up, so that the tokenizer need not read them again.
 */
export class HandOff {
  /** The tokens read, when the last `fastParse()` gave up on a long input. */
  prefix: TokenPrefix | undefined;

  /** The tokens read, which are then no longer held here. */
  take(): TokenPrefix | undefined {
    const prefix = this.prefix;
    this.prefix = undefined;
    return prefix;
  }
}
