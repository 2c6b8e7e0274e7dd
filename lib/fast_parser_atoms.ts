/**
 * The state, tokens and atoms of the fast parser (`fast_parser.ts`): the
 * rules from an operand's unary operators down to its atom and trailers
 * (attributes, calls, subscripts), mirroring `parser_atoms.ts` and
 * `parser_calls.ts`. The operator rules live in `fast_parser.ts`.
 *
 * @module
 */

import { FastScanner, Token } from "./fast_scanner.ts";
import type { TokenPrefix } from "./parse_tokens.ts";
import { maxDepth, type Node, NodeKind, powerDepth } from "./syntax_tree.ts";

/** What the parser returns for an atom once it has given up. */
const STOPPED: Node = { kind: NodeKind.Constant, depth: 1, value: 0n };

/** The unary operators of an operand without any, shared. */
const NO_OPS: readonly string[] = [];

/** The arguments or keywords of a call without any, shared. */
const NO_NODES: readonly Node[] = [];
const NO_NAMES: readonly string[] = [];

/**
 * The fast parser less its operator rules, which a subclass supplies
 * through `expression()` and `expressions()`.
 */
export abstract class FastParserBase {
  // Members private to TypeScript only, not `#`: V8 reads and writes `#`
  // fields more slowly, as `fast_scanner.ts` explains.
  protected readonly scan = new FastScanner();
  private empty = true;
  protected sawIf = false;
  /** Why the calculator refuses the input, once it has parsed. */
  private refusal: string | undefined;
  /** Whether parsing gave up because the input ended too early. */
  private stoppedAtEnd = false;

  /** Starts parsing `source`, keeping its tokens when `record` is set. */
  start(source: string, record: boolean): void {
    this.scan.start(source, record);
    this.empty = this.scan.kind === Token.End;
    this.sawIf = false;
    this.refusal = undefined;
    this.stoppedAtEnd = false;
  }

  /** The tokens read before the parser gave up, if they were kept. */
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

  /** One expression, `a if b else c` included. */
  protected abstract expression(): Node;

  /** A tuple when there is a comma, else one expression. */
  protected abstract expressions(): Node;

  /**
   * Gives up for good. Nothing is thrown, because throwing costs
   * microseconds: the current token becomes `Stopped`, which no rule
   * accepts, so every rule returns at once and `parseAll()` fails.
   */
  protected giveUp(): void {
    if (this.scan.kind === Token.End) this.stoppedAtEnd = true;
    this.scan.reject();
  }

  /** Notes the first construct that is valid Python but unsupported. */
  private refuse(message: string): void {
    this.refusal ??= message;
  }

  /** The `UnsupportedError` message of a parsed input, if it has one. */
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

  /** A subscript, parsed for syntax and refused; slices are left alone. */
  private subscript(object: Node): Node {
    this.scan.next();
    this.refuse("subscripts are not supported by the calculator");
    while (!this.isOp("]")) {
      this.expression();
      if (!this.isOp(",")) break;
      this.scan.next();
    }
    this.expect("]");
    return { ...object };
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

  /**
   * A number or a name that is not a keyword, and what follows it up to
   * the next binary operator: the rules from `notOperand()` down to
   * `atom()` give the same, but most operands are bare numbers and
   * names, which this reads with fewer steps.
   */
  protected plainOperand(): Node {
    const scan = this.scan;
    const node: Node = scan.kind === Token.Number
      ? { kind: NodeKind.Constant, depth: 1, value: scan.value }
      : { kind: NodeKind.Name, depth: 1, name: scan.text };
    scan.next();
    if (!this.atPostfixOp()) return node;
    return this.powerFrom(this.trailers(node));
  }

  /** Whether the current token is `.`, `(`, `[` or `**`. */
  private atPostfixOp(): boolean {
    if (this.scan.kind !== Token.Op) return false;
    const op = this.scan.text;
    return op === "." || op === "(" || op === "[" || op === "**";
  }

  private power(): Node {
    return this.powerFrom(this.trailers(this.atom()));
  }

  /** `base ** ...` when a `**` follows `base`, else `base`. */
  private powerFrom(base: Node): Node {
    if (!this.isOp("**")) return base;
    const operands = [base];
    const prefixes: (readonly string[])[] = [];
    while (this.isOp("**")) {
      this.scan.next();
      prefixes.push(this.unaryOps());
      operands.push(this.trailers(this.atom()));
    }
    const depth = powerDepth(operands, prefixes);
    return { kind: NodeKind.Power, depth, operands, prefixes };
  }

  /** Attributes, calls and subscripts after `node`. */
  private trailers(node: Node): Node {
    for (;;) {
      if (this.isOp(".")) node = this.attribute(node);
      else if (this.isOp("(")) node = this.call(node);
      else if (this.isOp("[")) node = this.subscript(node);
      else return node;
    }
  }

  private attribute(object: Node): Node {
    this.scan.next();
    const name = this.scan.text;
    if (this.scan.kind !== Token.Name || this.scan.atKeyword()) this.giveUp();
    this.scan.next();
    return { kind: NodeKind.Attribute, depth: object.depth + 1, object, name };
  }

  private call(callee: Node): Node {
    this.scan.next();
    let args = NO_NODES;
    let names = NO_NAMES;
    let values = NO_NODES;
    while (!this.isOp(")")) {
      if (this.scan.kind === Token.Name && this.scan.atKeywordArgument()) {
        const name = this.scan.text;
        // `__debug__=` is CPython's SyntaxError, which the full parser gives.
        if (this.scan.atKeyword() || name === "__debug__") this.giveUp();
        this.scan.next();
        this.scan.next();
        names = appended(names, name);
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
    const depth = 1 + Math.max(callee.depth, maxDepth(args), maxDepth(values));
    return {
      kind: NodeKind.Call,
      depth,
      callee,
      args,
      keywordNames: names,
      keywordValues: values,
    };
  }

  private atom(): Node {
    const kind = this.scan.kind;
    if (kind === Token.Number) {
      const value = this.scan.value;
      this.scan.next();
      return { kind: NodeKind.Constant, depth: 1, value };
    }
    if (kind === Token.Name) return this.nameAtom(this.scan.text);
    if (kind === Token.String) {
      while (this.scan.kind === Token.String) this.scan.next();
      this.refuse("strings are not supported by the calculator");
      return { kind: NodeKind.Constant, depth: 1, value: 0n };
    }
    if (!this.isOp("(")) {
      this.giveUp();
      return STOPPED;
    }
    this.scan.next();
    if (this.isOp(")")) {
      this.scan.next();
      return { kind: NodeKind.Tuple, depth: 1, items: [] };
    }
    const node = this.expressions();
    this.expect(")");
    return node;
  }

  private nameAtom(name: string): Node {
    if (!this.scan.atKeyword()) {
      this.scan.next();
      return { kind: NodeKind.Name, depth: 1, name };
    }
    if (name === "True" || name === "False") {
      this.scan.next();
      return { kind: NodeKind.Constant, depth: 1, value: name === "True" };
    }
    this.giveUp();
    return STOPPED;
  }

  private unaryOps(): readonly string[] {
    if (!this.atUnaryOp()) return NO_OPS;
    const ops = [this.scan.text];
    this.scan.next();
    while (this.atUnaryOp()) {
      ops.push(this.scan.text);
      this.scan.next();
    }
    return ops;
  }

  protected factor(): Node {
    const ops = this.unaryOps();
    const operand = this.power();
    if (ops.length === 0) return operand;
    const depth = ops.length + operand.depth;
    return { kind: NodeKind.Unary, depth, ops, operand };
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
