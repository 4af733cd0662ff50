// Resource limits the checker enforces, so a typo such as `dense(99999999)` fails at compile time
// with a message instead of exhausting memory when the generated module runs.
export interface Limits {
  /** largest tensor rank (input shapes are [n], [h, w] or [h, w, c]) */
  readonly maxRank: number;
  /** largest number of elements in one per-sample tensor */
  readonly maxElements: number;
  /** largest total size of all parameters, counted at 8 bytes (f64) each */
  readonly maxParamBytes: number;
  /** largest number of layers in one model */
  readonly maxLayers: number;
  /** largest value of one dimension or size argument (filters, units, kernel, stride, ...) */
  readonly maxDim: number;
}

export const defaultLimits: Limits = {
  maxRank: 3,
  maxElements: 2 ** 26,
  maxParamBytes: 2 ** 30,
  maxLayers: 1000,
  maxDim: 2 ** 24,
};

export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  return { ...defaultLimits, ...partial };
}
