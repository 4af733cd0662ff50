// The output-size rules of LANGUAGE.md, so the program generator can keep most programs valid.

export type Padding = "valid" | "same" | number;

/** One spatial axis of a window op, or undefined when the window does not fit. */
export function windowOutput(n: number, k: number, stride: number, padding: Padding, dilation = 1): number | undefined {
  const span = dilation * (k - 1) + 1;
  if (padding === "same") return Math.ceil(n / stride);
  const padded = n + 2 * (padding === "valid" ? 0 : padding);
  if (span > padded) return undefined;
  return Math.floor((padded - span) / stride) + 1;
}

export function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
