/**
 * What the fast parser (`fast_parser.ts`) and the fast evaluator
 * (`fast_evaluator.ts`) share: one token reader over the common subset of
 * the language, the rule for giving up, and the notes both take on the way
 * (a string or a subscript to refuse, an input that ended too early).
 *
 * @module
 */

import { FastScanner, Token } from "./fast_scanner.ts";
import { NOT } from "./operators.ts";
import type { TokenPrefix } from "./parse_tokens.ts";

/** The unary operators of an operand without any, shared. */
export const NO_OPS: readonly string[] = [];

const NO_NAMES: readonly string[] = [];

/** A call's arguments as read: positional ones, then keyword ones. */
export interface CallArguments<T> {
  args: readonly T[];
  names: readonly string[];
  values: readonly T[];
}

/**
 * The state, token tests and shared rules of a one-pass reader of the
 * subset, whose rules return a `T` for what they read: a syntax tree's
 * node for the fast parser, a value for the fast evaluator.
 */
export abstract class FastReader<T> {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields more slowly, as `fast_scanner.ts` explains.
  protected readonly scan = new FastScanner();
  private empty = true;
  protected sawIf = false;
  /** Why the calculator refuses the input, once it has been read. */
  protected refusal: string | undefined;
  /** Whether reading gave up because the input ended too early. */
  private stoppedAtEnd = false;

  /** Reads one expression, `a if b else c` included. */
  protected abstract expression(): T;

  /** Starts reading `source`, keeping its tokens when `record` is set. */
  start(source: string, record: boolean): void {
    this.scan.start(source, record);
    this.empty = this.scan.kind === Token.End;
    this.sawIf = false;
    this.refusal = undefined;
    this.stoppedAtEnd = false;
  }

  /** The tokens read before giving up, if they were kept. */
  prefix(): TokenPrefix | undefined {
    return this.scan.prefix();
  }

  /**
   * Whether the input, all of it in the subset, ended where an operand or
   * a name was still needed, as in `2 +`. The full parser then always
   * reports `invalid syntax` at the end, unless brackets are still open
   * (the tokenizer's error comes first) or an `if` was read (whose rules
   * have messages of their own).
   */
  endsTooEarly(): boolean {
    return this.stoppedAtEnd && this.scan.level === 0 && !this.sawIf &&
      !this.empty;
  }

  /** Whether the whole input was read without giving up. */
  readAll(): boolean {
    return this.scan.kind === Token.End;
  }

  /**
   * Gives up for good. Nothing is thrown, because throwing costs
   * microseconds: the current token becomes `Stopped`, which no rule
   * accepts, so every rule returns at once and the input is not read to
   * its end.
   */
  protected giveUp(): void {
    if (this.scan.kind === Token.End) this.stoppedAtEnd = true;
    this.scan.reject();
  }

  /** Notes the first construct that is valid Python but unsupported. */
  protected refuse(message: string): void {
    this.refusal ??= message;
  }

  /** The `UnsupportedError` message of an input read to its end, if any. */
  unsupported(): string | undefined {
    return this.refusal;
  }

  protected isOp(op: string): boolean {
    return this.scan.kind === Token.Op && this.scan.text === op;
  }

  protected isKeyword(word: string): boolean {
    const scan = this.scan;
    return scan.kind === Token.Name && scan.mayBeKeyword && scan.text === word;
  }

  protected expect(op: string): void {
    if (!this.isOp(op)) this.giveUp();
    this.scan.next();
  }

  /** Whether a tuple ends here, after a comma. */
  protected atTupleEnd(): boolean {
    return this.scan.kind === Token.End || this.isOp(")");
  }

  private atUnaryOp(): boolean {
    return this.isOp("-") || this.isOp("+") || this.isOp("~");
  }

  /** Whether the current token is a number or a name but not a keyword. */
  protected atPlainOperand(): boolean {
    const kind = this.scan.kind;
    return kind === Token.Number ||
      (kind === Token.Name && !this.scan.atKeyword());
  }

  /** Whether the current token is `.`, `(`, `[` or `**`. */
  protected atPostfixOp(): boolean {
    if (this.scan.kind !== Token.Op) return false;
    const op = this.scan.text;
    return op === "." || op === "(" || op === "[" || op === "**";
  }

  /** Reads a run of unary operators, in the order written. */
  protected unaryOps(): readonly string[] {
    if (!this.atUnaryOp()) return NO_OPS;
    const ops = [this.scan.text];
    this.scan.next();
    while (this.atUnaryOp()) {
      ops.push(this.scan.text);
      this.scan.next();
    }
    return ops;
  }

  /** Reads a comparison operator, two words for `not in` and `is not`. */
  protected comparison(): string {
    const op = this.scan.text;
    this.scan.next();
    if (op === "not") {
      this.scan.next();
      return "not in";
    }
    if (op === "is" && this.isKeyword("not")) {
      this.scan.next();
      return "is not";
    }
    return op;
  }

  /**
   * Reads the name of a keyword argument and its `=`, giving up where the
   * full parser has a message of its own.
   */
  protected keywordName(): string {
    const name = this.scan.text;
    // `__debug__=` is CPython's SyntaxError, which the full parser gives.
    if (this.scan.atKeyword() || name === "__debug__") this.giveUp();
    this.scan.next();
    this.scan.next();
    return name;
  }

  /** Whether the current token starts a keyword argument, `name=`. */
  protected atKeywordArgument(): boolean {
    return this.scan.kind === Token.Name && this.scan.atKeywordArgument();
  }

  /**
   * Reads the items of a tuple after its `first`, from the comma that
   * follows it, a trailing comma included.
   */
  protected tupleItems(first: T): T[] {
    this.scan.next();
    // Made at its final size for the common pair.
    const items = this.atTupleEnd() ? [first] : [first, this.expression()];
    while (this.isOp(",")) {
      this.scan.next();
      if (this.atTupleEnd()) break;
      items.push(this.expression());
    }
    return items;
  }

  /** Reads `.name` after an object, giving up on a keyword. */
  protected attributeName(): string {
    this.scan.next();
    const name = this.scan.text;
    if (this.scan.kind !== Token.Name || this.scan.atKeyword()) this.giveUp();
    this.scan.next();
    return name;
  }

  /**
   * Reads a call's arguments from its `(` to its `)`, giving up on the
   * shapes the full parser has messages for (a positional argument after
   * a keyword one, a repeated keyword).
   */
  protected callArguments(): CallArguments<T> {
    this.scan.next();
    const empty: readonly T[] = [];
    let args = empty;
    let names = NO_NAMES;
    let values = empty;
    while (!this.isOp(")")) {
      if (this.atKeywordArgument()) {
        names = appended(names, this.keywordName());
        values = appended(values, this.expression());
      } else if (names.length > 0) {
        this.giveUp();
      } else {
        args = appended(args, this.expression());
      }
      if (!this.isOp(",")) break;
      this.scan.next();
    }
    if (hasRepeat(names)) this.giveUp();
    this.expect(")");
    return { args, names, values };
  }

  /**
   * Reads a subscript's brackets and what is inside, for their syntax only,
   * and notes the refusal; a slice makes it give up.
   */
  protected subscriptOnly(): void {
    this.scan.next();
    this.refuse("subscripts are not supported by the calculator");
    while (!this.isOp("]")) {
      this.expression();
      if (!this.isOp(",")) break;
      this.scan.next();
    }
    this.expect("]");
  }

  /**
   * Reads a run of `not`, where an operator binding at least `min` allows
   * one, and returns how many there were.
   */
  protected nots(min: number): number {
    if (min > NOT) this.giveUp();
    let count = 0;
    while (this.isKeyword("not")) {
      this.scan.next();
      count++;
    }
    return count;
  }
}

/**
 * `list` with `item` added: a new array of one for an empty `list`, which
 * may be shared and which `push()` would grow to many times the size
 * needed.
 */
function appended<T>(list: readonly T[], item: T): readonly T[] {
  if (list.length === 0) return [item];
  (list as T[]).push(item);
  return list;
}

/**
 * Whether a name occurs twice, found in linear time: a call may have
 * thousands of keyword arguments.
 */
function hasRepeat(names: readonly string[]): boolean {
  return names.length > 1 && new Set(names).size < names.length;
}
