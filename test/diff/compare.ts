// Element-wise comparison with numpy's allclose rule, |got - want| <= atol + rtol * |want|,
// and a table of the worst error seen per op and per compared quantity.
export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const float32Tolerance: Tolerance = { rtol: 1e-4, atol: 1e-5 };

export interface Comparison {
  /** largest |got - want| */
  readonly maxAbs: number;
  /** largest |got - want| / (atol + rtol * |want|); at most 1 passes */
  readonly ratio: number;
  /** where the ratio is largest; -1 for a length mismatch */
  readonly index: number;
  readonly got: number;
  readonly want: number;
}

/** `scale`, when given, adds its |scale[i]| to |want[i]| in the relative term: a weight after an
 *  optimizer step is its value before plus the step, and the step carries the relative error of
 *  the gradient it came from, so both parts get rtol (compareSteps in oracle.ts). */
export function compareArrays(got: ArrayLike<number>, want: ArrayLike<number>, tol: Tolerance, scale?: ArrayLike<number>): Comparison {
  if (got.length !== want.length) return { maxAbs: Infinity, ratio: Infinity, index: -1, got: got.length, want: want.length };
  let worst: Comparison = { maxAbs: 0, ratio: 0, index: 0, got: got[0] ?? 0, want: want[0] ?? 0 };
  let maxAbs = 0;
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const diff = Math.abs(g - w);
    // NaN on either side, or a finite/infinite disagreement, is the worst possible error
    const ratio =
      Number.isNaN(diff) || (!Number.isFinite(diff) && g !== w) ? Infinity : g === w ? 0 : diff / (tol.atol + tol.rtol * (Math.abs(w) + Math.abs(scale?.[i] ?? 0)));
    if (diff > maxAbs || Number.isNaN(diff)) maxAbs = Number.isNaN(diff) ? Infinity : diff;
    if (ratio > worst.ratio) worst = { maxAbs: 0, ratio, index: i, got: g, want: w };
  }
  return { ...worst, maxAbs };
}

export function describe(c: Comparison): string {
  if (c.index < 0) return `length ${c.got}, expected ${c.want}`;
  return `max |diff| ${c.maxAbs.toExponential(2)}; worst at [${c.index}]: got ${c.got}, want ${c.want} (${c.ratio.toFixed(2)}x tolerance)`;
}

/** Worst comparison per (op, quantity): a quantity's error counts for every op of its network. */
export class ErrorTable {
  private readonly worst = new Map<string, Map<string, { maxAbs: number; ratio: number }>>();
  private readonly networks = new Map<string, number>();
  readonly quantities = ["forward", "loss", "gradients", "sgd", "adam"];

  countNetwork(ops: Iterable<string>): void {
    for (const op of new Set(ops)) this.networks.set(op, (this.networks.get(op) ?? 0) + 1);
  }

  record(ops: Iterable<string>, quantity: string, c: Comparison): void {
    for (const op of new Set(ops)) {
      const row = this.worst.get(op) ?? new Map<string, { maxAbs: number; ratio: number }>();
      const prev = row.get(quantity) ?? { maxAbs: 0, ratio: 0 };
      row.set(quantity, { maxAbs: Math.max(prev.maxAbs, c.maxAbs), ratio: Math.max(prev.ratio, c.ratio) });
      this.worst.set(op, row);
    }
  }

  /** A fixed-width table: per op, how many networks used it and, per quantity, the worst
   * |diff| and, in parentheses, the worst ratio to the tolerance. */
  format(): string {
    const cols = ["op", "networks", ...this.quantities];
    const rows = [...this.networks.keys()].sort().map((op) => [
      op,
      String(this.networks.get(op)),
      ...this.quantities.map((q) => {
        const c = this.worst.get(op)?.get(q);
        return c ? `${c.maxAbs.toExponential(1)} (${c.ratio.toFixed(2)})` : "-";
      }),
    ]);
    const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
    return [line(cols), ...rows.map(line)].join("\n");
  }
}
