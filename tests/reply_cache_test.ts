import { equal } from "node:assert/strict";
import { ReplyCache } from "../lib/reply_cache.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined) =>
  data === undefined ? undefined : new TextDecoder().decode(data);

/** A cache holding each [request, reply] pair, remembered in order. */
function cacheOf(capacity: number, pairs: [string, string][]): ReplyCache {
  const cache = new ReplyCache(capacity);
  for (const [request, reply] of pairs) {
    const key = bytes(request);
    cache.remember(key, 0, key.length, bytes(reply));
  }
  return cache;
}

Deno.test("ReplyCache finds a request by its bytes anywhere in a buffer", () => {
  const cache = cacheOf(4, [["1+1", "2\n"], ["2**3", "8\n"]]);
  const buffer = bytes("xx2**3yy1+1");
  equal(text(cache.find(buffer, 2, 6)), "8\n");
  equal(text(cache.find(buffer, 8, 11)), "2\n");
  equal(cache.find(buffer, 2, 5), undefined, "2** is not 2**3");
  equal(cache.find(buffer, 0, 0), undefined, "nothing was remembered for ''");
});

Deno.test("ReplyCache.findLine reads a request line as the protocol frames it", async (t) => {
  const cache = cacheOf(4, [["1+1", "2\n"], ["", "ERR SyntaxError\n"]]);
  const cases: [string, string, number, string | undefined][] = [
    ["LF ends the line", "1+1\n", 0, "2\n"],
    ["a CR before LF is not part of it", "1+1\r\n", 0, "2\n"],
    ["the line may start mid-buffer", "7\n1+1\n", 2, "2\n"],
    ["an empty line is a request", "\n", 0, "ERR SyntaxError\n"],
    ["a CR alone is an empty request", "\r\n", 0, "ERR SyntaxError\n"],
    ["no LF yet: not a line", "1+1", 0, undefined],
    ["a longer line is another request", "1+1 \n", 0, undefined],
    ["a CR elsewhere is kept", "1+1\r \n", 0, undefined],
    ["a line longer than every key finds nothing", "1+1111\n", 0, undefined],
  ];
  for (const [name, buffer, start, expected] of cases) {
    await t.step(name, () => {
      const line = cache.findLine(bytes(buffer), start);
      equal(text(line?.reply), expected);
    });
  }
});

Deno.test("ReplyCache forgets the oldest reply first, and remembers a request once", () => {
  const cache = cacheOf(2, [["a", "1\n"], ["b", "2\n"], ["a", "3\n"]]);
  equal(text(cache.find(bytes("a"), 0, 1)), "1\n", "the first reply stays");
  const full = cacheOf(2, [["a", "1\n"], ["b", "2\n"], ["c", "3\n"]]);
  equal(full.find(bytes("a"), 0, 1), undefined, "a made room for c");
  equal(text(full.find(bytes("b"), 0, 1)), "2\n");
  equal(text(full.find(bytes("c"), 0, 1)), "3\n");
});

Deno.test("ReplyCache keeps every one of many entries findable until it leaves", () => {
  const capacity = 1000;
  const pairs = Array.from(
    { length: 1500 },
    (_, i): [string, string] => [`${i}*${i}`, `${i * i}\n`],
  );
  const cache = cacheOf(capacity, pairs);
  pairs.forEach(([request, reply], i) => {
    const found = text(cache.find(bytes(request), 0, request.length));
    equal(found, i < 500 ? undefined : reply, request);
  });
});
