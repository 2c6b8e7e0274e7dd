import { deepEqual, equal } from "node:assert/strict";
import { ByteSlab } from "../lib/byte_slab.ts";

Deno.test("ByteSlab keeps each copy intact while later ones are made", () => {
  const slab = new ByteSlab();
  const copies: [Uint8Array, number[]][] = [];
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: i % 50 }, (_, k) => (i + k) % 256);
    copies.push([slab.copy(bytes, 0, bytes.length), [...bytes]]);
  }
  for (const [copy, original] of copies) deepEqual([...copy], original);
});

Deno.test("ByteSlab keeps only the bytes used of a room, and gives rooms larger than a slab", () => {
  const slab = new ByteSlab();
  const room = slab.room(10);
  room.set([1, 2, 3]);
  const kept = slab.keep(3);
  const next = slab.copy(Uint8Array.of(9, 9), 0, 2);
  deepEqual([...kept], [1, 2, 3]);
  deepEqual([...next], [9, 9]);
  const big = slab.room(100_000);
  equal(big.length, 100_000);
  big.fill(7);
  equal(slab.keep(100_000).every((byte) => byte === 7), true);
  deepEqual([...kept, ...next], [1, 2, 3, 9, 9]);
});
