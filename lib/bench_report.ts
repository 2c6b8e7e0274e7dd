/**
 * How `sockcalc bench` shows its figures: the live progress line, the final
 * report with a latency histogram drawn in text, and the same figures as
 * one JSON object.
 *
 * @module
 */

import type { BenchProgress, BenchResult } from "./bench.ts";
import { type Histogram, renderBars } from "./histogram.ts";
import type { Painter } from "./output.ts";

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const PERCENTILES: [string, number][] = [
  ["p50", 50],
  ["p90", 90],
  ["p99", 99],
  ["p99.9", 99.9],
];
const HISTOGRAM_ROWS = 14;
const HISTOGRAM_WIDTH = 36;

/** Formats a whole count with thousands separators: `1,234,567`. */
export function formatCount(value: number): string {
  return NUMBER.format(value);
}

/** Formats microseconds as milliseconds with three decimals. */
export function formatMs(micros: number): string {
  return Number.isNaN(micros) ? "-" : (micros / 1000).toFixed(3);
}

/** The one-line progress display, without colour or line control. */
export function formatProgress(progress: BenchProgress): string {
  const elapsed = `${(progress.elapsedMs / 1000).toFixed(1)} s`;
  const remaining = progress.remainingMs === undefined
    ? ""
    : `, ${(progress.remainingMs / 1000).toFixed(1)} s left`;
  return [
    `${progress.phase} ${elapsed}${remaining}`,
    `${formatCount(progress.replies)} replies`,
    `${formatCount(progress.currentRate)} req/s`,
    `${formatCount(progress.errors)} errors`,
  ].join(" | ");
}

/** The final report as lines of text. */
export function formatReport(result: BenchResult, paint: Painter): string[] {
  const lines = [
    `sockcalc bench: ${result.target} over ${result.transport.toUpperCase()}`,
    `  connections  ${result.connections}, pipeline ${result.pipeline}`,
    `  warm-up      ${seconds(result.warmupMs)}, not counted`,
    `  measured     ${seconds(result.measuredMs)}`,
    `  rate         ${rateLine(result)}`,
    `  replies      ${formatCount(result.replies)}`,
    ...problemLines(result, paint),
  ];
  if (result.stoppedEarly !== undefined) {
    lines.push(paint("warning", `  stopped early: ${result.stoppedEarly}`));
  }
  lines.push("", ...latencyTable(result.latency));
  if (result.sendLag !== undefined && result.sendLag.count > 0) {
    lines.push(
      paint(
        "detail",
        `  generator's own send lag (ms): p50 ${
          formatMs(result.sendLag.percentile(50))
        }, p99 ${formatMs(result.sendLag.percentile(99))}, max ${
          formatMs(result.sendLag.max)
        }`,
      ),
    );
  }
  if (result.latency.count > 0) {
    lines.push("", "  latency histogram (ms)");
    const bars = renderBars(result.latency, {
      rows: HISTOGRAM_ROWS,
      width: HISTOGRAM_WIDTH,
      formatValue: formatMs,
    });
    lines.push(...bars.map((bar) => `  ${bar}`));
  }
  return lines;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

function rateLine(result: BenchResult): string {
  const achieved = `${formatCount(result.achievedRate)} req/s achieved`;
  if (result.offeredRate === undefined) return achieved;
  return `${achieved}, ${formatCount(result.offeredRate)} req/s offered`;
}

function problemLines(result: BenchResult, paint: Painter): string[] {
  const figure = (count: number, label: string) =>
    count === 0
      ? `${label} 0`
      : paint("error", `${label} ${formatCount(count)}`);
  const lines = [
    `  errors       ${figure(result.errorReplies, "error replies")}, ${
      figure(result.timeouts, "timeouts")
    }, ${figure(result.connectionErrors, "connection errors")}`,
  ];
  if (result.firstError !== undefined) {
    lines.push(
      paint("error", `  first connection error: ${result.firstError}`),
    );
  }
  return lines;
}

function latencyTable(latency: Histogram): string[] {
  const heads = ["min", ...PERCENTILES.map(([name]) => name), "max", "mean"];
  const values = [
    latency.min,
    ...PERCENTILES.map(([, p]) => latency.percentile(p)),
    latency.max,
    latency.mean,
  ].map(formatMs);
  const width = Math.max(7, ...values.map((value) => value.length + 1));
  return [
    `  latency (ms) ${heads.map((head) => head.padStart(width)).join("")}`,
    `               ${values.map((value) => value.padStart(width)).join("")}`,
  ];
}

/** The figures of a run as one JSON-ready object; latencies in ms. */
export function toJson(result: BenchResult): Record<string, unknown> {
  return {
    target: result.target,
    transport: result.transport,
    connections: result.connections,
    pipeline: result.pipeline,
    warmupSeconds: round(result.warmupMs / 1000),
    measuredSeconds: round(result.measuredMs / 1000),
    offeredRate: result.offeredRate ?? null,
    achievedRate: round(result.achievedRate),
    replies: result.replies,
    errorReplies: result.errorReplies,
    timeouts: result.timeouts,
    connectionErrors: result.connectionErrors,
    firstError: result.firstError ?? null,
    stoppedEarly: result.stoppedEarly ?? null,
    latencyMs: latencySummary(result.latency),
    sendLagMs: result.sendLag === undefined
      ? null
      : latencySummary(result.sendLag),
    histogram: result.latency.bins({ rows: HISTOGRAM_ROWS }).map((bin) => ({
      fromMs: round(bin.from / 1000),
      toMs: round(bin.to / 1000),
      count: bin.count,
    })),
  };
}

function latencySummary(histogram: Histogram): Record<string, number | null> {
  const ms = (micros: number) =>
    Number.isNaN(micros) ? null : round(micros / 1000);
  return {
    min: ms(histogram.min),
    p50: ms(histogram.percentile(50)),
    p90: ms(histogram.percentile(90)),
    p99: ms(histogram.percentile(99)),
    "p99.9": ms(histogram.percentile(99.9)),
    max: ms(histogram.max),
    mean: ms(histogram.mean),
  };
}

/** Rounds to microsecond precision for milliseconds, and 3 decimals in general. */
function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
