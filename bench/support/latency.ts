/**
 * Latencies in milliseconds, every value kept (a run records at most a few hundred thousand), so
 * percentiles are exact rather than bucketed.
 */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export class LatencyRecorder {
  private values = new Float64Array(4096);
  private count = 0;

  record(ms: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = ms;
  }

  reset(): void {
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** The recorded values, in the order recorded. */
  recorded(): Float64Array {
    return this.values.subarray(0, this.count);
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.count).sort();
    // Nearest-rank percentile: the smallest value with at least p of the values at or below it.
    const at = (p: number) => (sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0));
    let sum = 0;
    for (const value of sorted) sum += value;
    return {
      count: sorted.length,
      mean: sorted.length === 0 ? 0 : sum / sorted.length,
      p50: at(0.5),
      p99: at(0.99),
      p999: at(0.999),
      max: sorted.length === 0 ? 0 : (sorted[sorted.length - 1] ?? 0),
    };
  }
}

/** Milliseconds with two decimals, for tables and the RESULT line. */
export function ms(value: number): number {
  return Math.round(value * 100) / 100;
}
