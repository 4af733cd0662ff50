// tfjs cannot differentiate a dilated conv ("dilation rates greater than 1 are not yet supported
// in gradients"). A dilation-d conv equals an undilated conv whose kernel has d - 1 zeros between
// taps, so for gradients and training the oracle uses that kernel and reads only the taps.
export interface Taps {
  readonly dilation: number;
  /** the real kernel, Keras layout [kh, kw, in, filters] */
  readonly shape: readonly [number, number, number, number];
}

export function expandedShape(t: Taps): [number, number, number, number] {
  const [kh, kw, cin, f] = t.shape;
  return [t.dilation * (kh - 1) + 1, t.dilation * (kw - 1) + 1, cin, f];
}

/** Tap (i, j) of the real kernel sits at (i*d, j*d) of the expanded one. */
function tapOffsets(t: Taps): { real: number; expanded: number; run: number }[] {
  const [kh, kw, cin, f] = t.shape;
  const [, ekw] = expandedShape(t);
  const run = cin * f;
  const out: { real: number; expanded: number; run: number }[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) out.push({ real: (i * kw + j) * run, expanded: (i * t.dilation * ekw + j * t.dilation) * run, run });
  }
  return out;
}

export function expandKernel(real: ArrayLike<number>, t: Taps): Float32Array {
  const out = new Float32Array(expandedShape(t).reduce((a, b) => a * b, 1));
  for (const o of tapOffsets(t)) for (let k = 0; k < o.run; k++) out[o.expanded + k] = real[o.real + k]!;
  return out;
}

export function readTaps(expanded: ArrayLike<number>, t: Taps): Float32Array {
  const out = new Float32Array(t.shape.reduce((a, b) => a * b, 1));
  for (const o of tapOffsets(t)) for (let k = 0; k < o.run; k++) out[o.real + k] = expanded[o.expanded + k]!;
  return out;
}
