/**
 * Runs the evaluator on long inputs, and on a large gcd, before a server
 * takes requests.
 *
 * V8 compiles a function for speed only once it has run hot. The paths
 * that only long requests take (the fast parser's hand-off to the full
 * tokenizer, long token buffers, long flat chains) would otherwise run
 * cold on some client's first long request: in a fresh process a 64 KiB
 * request took 35 to 46 ms, after this warm-up 3 to 14 ms. The warm-up
 * costs 100 to 170 ms, once, at start.
 *
 * @module
 */

import { evaluateToReply } from "./evaluate.ts";

/** Long enough to make the long-input paths hot, short enough to be quick. */
const WARM_UP_CHARS = 16_000;
const WARM_UP_ROUNDS = 4;

/** `item` repeated with `separator` to about `WARM_UP_CHARS` characters. */
function chain(item: string, separator: string): string {
  const count = Math.floor(WARM_UP_CHARS / (item.length + separator.length));
  return Array(count).fill(item).join(separator);
}

/** `a0=1,a1=1,...` with `count` arguments. */
function keywordArguments(count: number): string {
  return Array.from({ length: count }, (_, i) => `a${i}=1`).join(",");
}

/**
 * Inputs of each long shape: chains the fast parser reads to the end, and
 * chains it gives up on at the end (`[1]`), which the full parser then
 * reads; runs of one operator, line continuations, and many keyword
 * arguments.
 */
const LONG_INPUTS = [
  chain("1", "+"),
  chain("1", ","),
  chain("1", "<"),
  chain("1", "+") + "+[1]",
  chain("1", ",") + ",[1]",
  "max(" + chain("1.5", ",") + ",[1])",
  "math" + ".pi".repeat(WARM_UP_CHARS / 3),
  "-".repeat(WARM_UP_CHARS) + "1",
  chain("1", "+\\\n"),
  "max(1," + keywordArguments(WARM_UP_CHARS / 8) + ")",
  // Not long, but the gcd's halving and limb loops would run cold on a
  // first large gcd: one of 50,000 bits took 25 to 30 ms in a fresh
  // process, a third of that warm.
  "gcd(3**12000 * 7, 5**8000 * 7)",
];

/** Evaluates each long input a few times; their replies are not needed. */
export function warmUpEvaluator(): void {
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const input of LONG_INPUTS) evaluateToReply(input);
  }
}
