// Summary statistics of repeated measurements: the median and its spread, nothing that assumes
// a distribution (the host is noisy; outliers are real and should stay visible as min-max).

export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), count: values.length };
}

/** Ratio of two engines measured in the same rounds: the median of the per-round ratios. */
export function pairedRatio(engine: readonly number[], reference: readonly number[]): number {
  const ratios: number[] = [];
  for (let i = 0; i < Math.min(engine.length, reference.length); i++) {
    const a = engine[i];
    const b = reference[i];
    if (a !== undefined && b !== undefined && b > 0) ratios.push(a / b);
  }
  return median(ratios);
}

/** Largest absolute difference between two arrays of equal length; Infinity if the lengths differ. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] ?? 0) - (b[i] ?? 0));
    // NaN must count as a disagreement, and NaN > worst is false.
    if (!(d <= worst)) worst = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return worst;
}
