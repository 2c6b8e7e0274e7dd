import { deepEqual, equal, ok } from "node:assert/strict";
import { Histogram, RELATIVE_ERROR, renderBars } from "../lib/histogram.ts";

/** Within the stated relative error, for values of at least 1 µs. */
function near(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= expected * RELATIVE_ERROR;
}

Deno.test("Histogram.percentile() reads back each value within 0.1%", async (t) => {
  const values = [1, 1.5, 7.25, 999, 2047.9, 2049, 12_345.678, 1e6, 3.3e6, 2e9];
  for (const value of values) {
    await t.step(`${value} µs`, () => {
      const histogram = new Histogram();
      // Neighbours far below and above, so min/max clamping cannot help.
      histogram.record(0.001);
      histogram.record(value);
      histogram.record(value * 100);
      const read = histogram.percentile(50);
      ok(near(read, value), `${read} is not within 0.1% of ${value}`);
    });
  }
});

Deno.test("Histogram.percentile() ranks values as nearest-rank percentiles", async (t) => {
  const histogram = new Histogram();
  for (let us = 1; us <= 10_000; us++) histogram.record(us);
  const cases: [number, number][] = [
    [50, 5000],
    [90, 9000],
    [99, 9900],
    [99.9, 9990],
    [0, 1],
    [100, 10_000],
  ];
  for (const [p, expected] of cases) {
    await t.step(`p${p} is ${expected} µs`, () => {
      const read = histogram.percentile(p);
      ok(near(read, expected), `p${p} = ${read}, expected ${expected}`);
    });
  }
});

Deno.test("Histogram keeps count, min, max and mean exactly", () => {
  const histogram = new Histogram();
  for (const value of [3.5, 100, 42, 7]) histogram.record(value);
  histogram.record(10, 4);
  equal(histogram.count, 8);
  equal(histogram.min, 3.5);
  equal(histogram.max, 100);
  equal(histogram.mean, (3.5 + 100 + 42 + 7 + 40) / 8);
});

Deno.test("Histogram is empty until a value is recorded", () => {
  const histogram = new Histogram();
  equal(histogram.count, 0);
  ok(Number.isNaN(histogram.percentile(50)));
  ok(Number.isNaN(histogram.min));
  deepEqual(histogram.bins(), []);
  deepEqual(renderBars(histogram), []);
});

Deno.test("Histogram.record() counts a negative value as 0", () => {
  const histogram = new Histogram();
  histogram.record(-5);
  equal(histogram.min, 0);
  equal(histogram.percentile(50), 0);
});

Deno.test("Histogram.merge() gives the same figures as recording everything in one", () => {
  const left = new Histogram(), right = new Histogram(), all = new Histogram();
  for (let i = 1; i <= 5000; i++) {
    const value = (i * 7919) % 100_000 + 1;
    (i % 2 === 0 ? left : right).record(value);
    all.record(value);
  }
  left.merge(right);
  equal(left.count, all.count);
  equal(left.min, all.min);
  equal(left.max, all.max);
  equal(left.mean, all.mean);
  for (const p of [1, 50, 90, 99, 99.9]) {
    equal(left.percentile(p), all.percentile(p));
  }
});

Deno.test("Histogram.bins() puts every value in one bin from min to max", () => {
  const histogram = new Histogram();
  for (let i = 0; i < 900; i++) histogram.record(100);
  for (let i = 0; i < 100; i++) histogram.record(10_000);
  const bins = histogram.bins({ rows: 4 });
  equal(bins.length, 4);
  equal(bins[0].from, 100);
  equal(bins[3].to, 10_000);
  deepEqual(bins.map((bin) => bin.count), [900, 0, 0, 100]);
});

Deno.test("renderBars() draws one row per bin, the fullest bar widest", () => {
  const histogram = new Histogram();
  for (let i = 0; i < 300; i++) histogram.record(100);
  for (let i = 0; i < 100; i++) histogram.record(10_000);
  const rows = renderBars(histogram, { rows: 2, width: 30 });
  deepEqual(rows, [
    ` 100.0 -  1000.0 | ${"#".repeat(30)}  75.00% 300`,
    `1000.0 - 10000.0 | ${"#".repeat(10)}${" ".repeat(20)}  25.00% 100`,
  ]);
});
