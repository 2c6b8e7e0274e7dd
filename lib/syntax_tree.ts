/**
 * The syntax tree the parser builds and the evaluator walks.
 *
 * Runs of operators of one precedence are kept flat (`1+2-3` is one
 * `Binary` node with three operands, `--x` one `Unary` node), so walking
 * the tree recurses only as deep as the brackets nest, never as long as the
 * expression is. Each node also records the depth CPython's AST would have,
 * because CPython refuses expressions nested deeper than its compiler's
 * recursion limit and the calculator mirrors that refusal.
 *
 * @module
 */

import { makePyException } from "./py_exception.ts";
import type { PyException, PyValue } from "./py_value.ts";

/**
 * The deepest syntax tree CPython 3.11 compiles when `eval()` is called from
 * a function at module level; deeper trees raise `RecursionError`.
 */
export const MAX_COMPILE_DEPTH = 2993;

/** The error CPython raises for an expression too deep to compile. */
export function tooDeepError(): PyException {
  return makePyException(
    "RecursionError",
    "maximum recursion depth exceeded during compilation",
  );
}

/** The kinds of node. */
export const enum NodeKind {
  Constant,
  Name,
  Attribute,
  Call,
  Unary,
  Binary,
  Power,
  Compare,
  BoolOp,
  Not,
  IfElse,
  Tuple,
}

/** A literal value: an int, a float, `True` or `False`. */
export interface ConstantNode {
  readonly kind: NodeKind.Constant;
  readonly depth: number;
  readonly value: PyValue;
}

/** A bare name such as `pi` or `abs`. */
export interface NameNode {
  readonly kind: NodeKind.Name;
  readonly depth: number;
  readonly name: string;
}

/** `object.name`. */
export interface AttributeNode {
  readonly kind: NodeKind.Attribute;
  readonly depth: number;
  readonly object: Node;
  readonly name: string;
}

/** `callee(args..., name=value...)`. */
export interface CallNode {
  readonly kind: NodeKind.Call;
  readonly depth: number;
  readonly callee: Node;
  readonly args: readonly Node[];
  readonly keywordNames: readonly string[];
  readonly keywordValues: readonly Node[];
}

/** Prefix `-`, `+` or `~` operators; the last one applies first. */
export interface UnaryNode {
  readonly kind: NodeKind.Unary;
  readonly depth: number;
  readonly ops: readonly string[];
  readonly operand: Node;
}

/** `a op b op c ...` for left-associative operators of one precedence. */
export interface BinaryNode {
  readonly kind: NodeKind.Binary;
  readonly depth: number;
  readonly ops: readonly string[];
  readonly operands: readonly Node[];
}

/**
 * `a ** Ub b ** Uc c ...`, right-associative, where `prefixes[i]` are the
 * unary operators written before `operands[i + 1]`.
 */
export interface PowerNode {
  readonly kind: NodeKind.Power;
  readonly depth: number;
  readonly operands: readonly Node[];
  readonly prefixes: readonly (readonly string[])[];
}

/** A comparison chain `a < b <= c`. */
export interface CompareNode {
  readonly kind: NodeKind.Compare;
  readonly depth: number;
  readonly ops: readonly string[];
  readonly operands: readonly Node[];
}

/** `a and b and ...` or `a or b or ...`. */
export interface BoolOpNode {
  readonly kind: NodeKind.BoolOp;
  readonly depth: number;
  readonly isAnd: boolean;
  readonly operands: readonly Node[];
}

/** `not` applied `count` times. */
export interface NotNode {
  readonly kind: NodeKind.Not;
  readonly depth: number;
  readonly count: number;
  readonly operand: Node;
}

/** `b0 if t0 else b1 if t1 else ... orElse`. */
export interface IfElseNode {
  readonly kind: NodeKind.IfElse;
  readonly depth: number;
  readonly bodies: readonly Node[];
  readonly tests: readonly Node[];
  readonly orElse: Node;
}

/** A tuple display `(a, b)`. */
export interface TupleNode {
  readonly kind: NodeKind.Tuple;
  readonly depth: number;
  readonly items: readonly Node[];
}

/** Any expression. */
export type Node =
  | ConstantNode
  | NameNode
  | AttributeNode
  | CallNode
  | UnaryNode
  | BinaryNode
  | PowerNode
  | CompareNode
  | BoolOpNode
  | NotNode
  | IfElseNode
  | TupleNode;

/** The deepest of `nodes` (0 for none). */
export function maxDepth(nodes: readonly Node[]): number {
  let depth = 0;
  for (const node of nodes) if (node.depth > depth) depth = node.depth;
  return depth;
}

/** CPython's depth of a left-nested chain of binary operations. */
export function chainDepth(operands: readonly Node[]): number {
  let depth = operands[0].depth;
  for (let i = 1; i < operands.length; i++) {
    depth = 1 + Math.max(depth, operands[i].depth);
  }
  return depth;
}

/** CPython's depth of a right-nested `**` chain. */
export function powerDepth(
  operands: readonly Node[],
  prefixes: readonly (readonly string[])[],
): number {
  let depth = operands[operands.length - 1].depth;
  for (let i = operands.length - 1; i >= 1; i--) {
    depth = 1 + Math.max(operands[i - 1].depth, prefixes[i - 1].length + depth);
  }
  return depth;
}

/** CPython's depth of a right-nested conditional chain. */
export function ifElseDepth(
  bodies: readonly Node[],
  tests: readonly Node[],
  orElse: Node,
): number {
  let depth = orElse.depth;
  for (let i = bodies.length - 1; i >= 0; i--) {
    depth = 1 + Math.max(bodies[i].depth, tests[i].depth, depth);
  }
  return depth;
}
