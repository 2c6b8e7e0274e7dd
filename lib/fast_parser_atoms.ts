/**
 * The atoms of the fast parser (`fast_parser.ts`): the rules from an
 * operand's unary operators down to its atom and trailers
 * (attributes, calls, subscripts), mirroring `parser_atoms.ts` and
 * `parser_calls.ts`. The operator rules live in `fast_parser.ts`.
 *
 * @module
 */

import { FastReader } from "./fast_reader.ts";
import { Token } from "./fast_scanner.ts";
import { maxDepth, type Node, NodeKind, powerDepth } from "./syntax_tree.ts";

/** What the parser returns for an atom once it has given up. */
const STOPPED: Node = { kind: NodeKind.Constant, depth: 1, value: 0n };

/**
 * The fast parser less its operator rules, which a subclass supplies
 * through `expression()` and `expressions()`.
 */
export abstract class FastParserBase extends FastReader<Node> {
  /** A tuple when there is a comma, else one expression. */
  protected abstract expressions(): Node;

  /** A subscript, parsed for syntax and refused; slices are left alone. */
  private subscript(object: Node): Node {
    this.subscriptOnly();
    return { ...object };
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
    const name = this.attributeName();
    return { kind: NodeKind.Attribute, depth: object.depth + 1, object, name };
  }

  private call(callee: Node): Node {
    const { args, names, values } = this.callArguments();
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

  protected factor(): Node {
    const ops = this.unaryOps();
    const operand = this.power();
    if (ops.length === 0) return operand;
    const depth = ops.length + operand.depth;
    return { kind: NodeKind.Unary, depth, ops, operand };
  }
}
