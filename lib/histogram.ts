/**
 * A latency histogram in the style of HdrHistogram: every recorded value
 * lands in one of a fixed set of log-linear buckets, so recording costs a
 * few integer operations and no allocation, however many values arrive.
 *
 * Values are microseconds. Inside, each value is rounded to a whole number
 * of nanoseconds; values below 2,048 ns keep that exact nanosecond, and above
 * it every power of two is split into 1,024 equal buckets. A bucket is thus at
 * most 1/1,024 of its lower bound wide, and a value read back (a percentile)
 * is its bucket's midpoint: for any value of at least 1 µs the relative
 * error is at most 0.1% (half a bucket, 1/2,048, plus the rounding to whole
 * nanoseconds, at most 0.05%). `min`, `max` and `mean` are exact.
 *
 * Values above {@linkcode MAX_TRACKABLE_MICROS} (about 2.4 hours) are
 * counted in the last bucket; `max` still reports them exactly.
 *
 * @example Record latencies and read percentiles
 * ```ts
 * import { Histogram } from "./histogram.ts";
 *
 * const latencies = new Histogram();
 * for (let us = 1; us <= 1000; us++) latencies.record(us);
 * console.assert(Math.abs(latencies.percentile(50) - 500) <= 0.5);
 * console.assert(latencies.max === 1000 && latencies.count === 1000);
 * ```
 *
 * @module
 */

/** How many bits of each value the buckets keep: 2^10 buckets per octave. */
const SUB_BITS = 10;
const SUB_COUNT = 1 << SUB_BITS;
/** Values below this many nanoseconds get a bucket each. */
const LINEAR_LIMIT = 2 * SUB_COUNT;
/** The largest exponent tracked: values up to 2^43 ns. */
const MAX_SHIFT = 43 - SUB_BITS - 1;
const BUCKET_COUNT = LINEAR_LIMIT + MAX_SHIFT * SUB_COUNT;
const TWO_POW_31 = 2 ** 31;

/** The largest value, in microseconds, that gets a bucket of its own. */
export const MAX_TRACKABLE_MICROS: number = (2 ** 43 - 1) / 1000;

/**
 * The largest relative error of a percentile for values of at least 1 µs,
 * as a fraction (0.001 is 0.1%).
 */
export const RELATIVE_ERROR = 0.001;

/** One bar of a histogram drawn as text: values in `[from, to)` µs. */
export interface HistogramBin {
  /** The smallest value in the bin, in microseconds. */
  from: number;
  /** The bound above the bin's values, in microseconds. */
  to: number;
  count: number;
}

/** Options of {@linkcode Histogram.bins} and {@linkcode renderBars}. */
export interface BinOptions {
  /**
   * How many bins to spread between the smallest and the largest value.
   * @default {16}
   */
  rows?: number;
}

/** Counts values in log-linear buckets; see the module notes for precision. */
export class Histogram {
  readonly #counts = new Float64Array(BUCKET_COUNT);
  #count = 0;
  #sum = 0;
  #min = Infinity;
  #max = -Infinity;

  /** How many values were recorded. */
  get count(): number {
    return this.#count;
  }

  /** The smallest value recorded, exactly, or `NaN` when empty. */
  get min(): number {
    return this.#count === 0 ? NaN : this.#min;
  }

  /** The largest value recorded, exactly, or `NaN` when empty. */
  get max(): number {
    return this.#count === 0 ? NaN : this.#max;
  }

  /** The mean of the values recorded, or `NaN` when empty. */
  get mean(): number {
    return this.#count === 0 ? NaN : this.#sum / this.#count;
  }

  /**
   * Records a value in microseconds, `count` times (once by default).
   * Negative values, which only a clock step could produce, count as 0.
   */
  record(micros: number, count = 1): void {
    const value = micros > 0 ? micros : 0;
    this.#counts[bucketOf(Math.round(value * 1000))] += count;
    this.#count += count;
    this.#sum += value * count;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
  }

  /** Adds every value recorded in `other` to this histogram. */
  merge(other: Histogram): void {
    const counts = other.#counts;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      if (counts[i] !== 0) this.#counts[i] += counts[i];
    }
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#min = Math.min(this.#min, other.#min);
    this.#max = Math.max(this.#max, other.#max);
  }

  /**
   * The value at or below which `p` percent of the values lie, such as 99.9
   * for p99.9; `NaN` when empty. The answer lies between `min` and `max`.
   */
  percentile(p: number): number {
    if (this.#count === 0) return NaN;
    if (p <= 0) return this.#min;
    if (p >= 100) return this.#max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKET_COUNT; i++) {
      seen += this.#counts[i];
      if (seen >= rank) {
        const middle = (lowerBound(i) + upperBound(i) - 1) / 2 / 1000;
        return Math.min(this.#max, Math.max(this.#min, middle));
      }
    }
    return this.#max;
  }

  /**
   * Groups the values into `rows` bins of equal width on a logarithmic
   * scale from `min` to `max`, for drawing. Empty when nothing was recorded.
   */
  bins(options: BinOptions = {}): HistogramBin[] {
    if (this.#count === 0) return [];
    const rows = Math.max(1, options.rows ?? 16);
    const low = Math.max(this.#min, 0.001);
    const high = Math.max(this.#max, low * 1.0001);
    const ratio = (high / low) ** (1 / rows);
    const bins: HistogramBin[] = [];
    for (let row = 0; row < rows; row++) {
      bins.push({
        from: low * ratio ** row,
        to: row === rows - 1 ? high : low * ratio ** (row + 1),
        count: 0,
      });
    }
    for (let i = 0; i < BUCKET_COUNT; i++) {
      const count = this.#counts[i];
      if (count === 0) continue;
      const value = (lowerBound(i) + upperBound(i) - 1) / 2 / 1000;
      const row = Math.min(
        rows - 1,
        Math.max(0, Math.floor(Math.log(value / low) / Math.log(ratio))),
      );
      bins[row].count += count;
    }
    return bins;
  }
}

/** The bucket of a whole number of nanoseconds. */
function bucketOf(nanos: number): number {
  if (nanos < LINEAR_LIMIT) return nanos;
  if (nanos < TWO_POW_31) {
    // The fast path: 32-bit integer operations for values under 2.1 s.
    const shift = 32 - Math.clz32(nanos) - SUB_BITS - 1;
    return shift * SUB_COUNT + (nanos >>> shift);
  }
  let shift = Math.min(MAX_SHIFT, Math.floor(Math.log2(nanos)) - SUB_BITS);
  // log2 may round up just below a power of two; step back when it did.
  if (Math.floor(nanos / 2 ** shift) < SUB_COUNT) shift--;
  const top = Math.min(2 * SUB_COUNT - 1, Math.floor(nanos / 2 ** shift));
  return shift * SUB_COUNT + top;
}

/** The smallest whole number of nanoseconds in bucket `index`. */
function lowerBound(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const shift = Math.floor(index / SUB_COUNT) - 1;
  const top = index - shift * SUB_COUNT;
  return top * 2 ** shift;
}

/** One past the largest whole number of nanoseconds in bucket `index`. */
function upperBound(index: number): number {
  if (index < LINEAR_LIMIT) return index + 1;
  const shift = Math.floor(index / SUB_COUNT) - 1;
  return lowerBound(index) + 2 ** shift;
}

/** Options of {@linkcode renderBars}. */
export interface RenderOptions extends BinOptions {
  /**
   * The width of the longest bar, in characters.
   * @default {40}
   */
  width?: number;
  /** Formats a bin bound in microseconds for the row label. */
  formatValue?: (micros: number) => string;
}

/**
 * Draws the histogram as text, one row per bin, each with its range, a bar
 * of `#` as long as its share of the fullest bin, its percentage and count.
 */
export function renderBars(
  histogram: Histogram,
  options: RenderOptions = {},
): string[] {
  const bins = histogram.bins(options);
  if (bins.length === 0) return [];
  const width = options.width ?? 40;
  const format = options.formatValue ?? ((us: number) => `${us.toFixed(1)}`);
  const fullest = Math.max(...bins.map((bin) => bin.count));
  const labels = bins.map((bin) => [format(bin.from), format(bin.to)]);
  const fromWidth = Math.max(...labels.map(([from]) => from.length));
  const toWidth = Math.max(...labels.map(([, to]) => to.length));
  const countWidth = Math.max(...bins.map((bin) => String(bin.count).length));
  return bins.map((bin, row) => {
    const length = Math.round((bin.count / fullest) * width);
    const bar = "#".repeat(bin.count > 0 ? Math.max(1, length) : 0);
    const share = (100 * bin.count / histogram.count).toFixed(2);
    return `${labels[row][0].padStart(fromWidth)} - ${
      labels[row][1].padStart(toWidth)
    } | ${bar.padEnd(width)} ${share.padStart(6)}% ${
      String(bin.count).padStart(countWidth)
    }`;
  });
}
