// Independent references for the sequence ops and upsample, with plain nested loops over
// sequences indexed [t][c] and images [y][x][c]. Output sizes and padding are recomputed here
// from TensorFlow's rules (Keras' Conv1D, MaxPooling1D; tf.image.resize for bilinear), not read
// from the compiler.
import type { Image } from "./reference.js";

/** A sequence as nested arrays: sequence[t][c]. */
export type Sequence = number[][];

export type SequencePadding = "valid" | "same" | "causal" | number;

export function toSequence(data: ArrayLike<number>, n: number, c: number): Sequence {
  if (data.length !== n * c) throw new Error(`toSequence: ${data.length} values for [${n}, ${c}]`);
  return Array.from({ length: n }, (_, t) => Array.from({ length: c }, (_, k) => Number(data[t * c + k])));
}

export function flattenSequence(s: Sequence): number[] {
  return s.flat();
}

/** Cells padded before and after, and the output length, of a window along n cells. */
function axis(n: number, k: number, s: number, d: number, padding: SequencePadding): { before: number; after: number; out: number } {
  const span = d * (k - 1) + 1;
  if (padding === "causal") return { before: span - 1, after: 0, out: Math.ceil(n / s) };
  if (padding === "same") {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + span - n, 0);
    return { before: Math.floor(total / 2), after: total - Math.floor(total / 2), out };
  }
  const p = padding === "valid" ? 0 : padding;
  return { before: p, after: p, out: Math.floor((n + 2 * p - span) / s) + 1 };
}

export interface Conv1dOptions {
  readonly stride: number;
  readonly dilation: number;
  readonly padding: SequencePadding;
  readonly groups: number;
}

/** Keras' Conv1D with `groups`: kernel flat [k, c/groups, filters]. */
export function conv1d(x: Sequence, kernel: ArrayLike<number>, bias: number[] | null, k: number, filters: number, o: Conv1dOptions): Sequence {
  const n = x.length;
  const c = x[0]!.length;
  const cg = c / o.groups;
  const fg = filters / o.groups;
  const { before, out } = axis(n, k, o.stride, o.dilation, o.padding);
  const y: Sequence = [];
  for (let t = 0; t < out; t++) {
    const row: number[] = [];
    for (let f = 0; f < filters; f++) {
      const group = Math.floor(f / fg);
      let sum = bias ? bias[f]! : 0;
      for (let tap = 0; tap < k; tap++) {
        const i = t * o.stride + tap * o.dilation - before;
        if (i < 0 || i >= n) continue;
        for (let ci = 0; ci < cg; ci++) sum += x[i]![group * cg + ci]! * Number(kernel[(tap * cg + ci) * filters + f]);
      }
      row.push(sum);
    }
    y.push(row);
  }
  return y;
}

/** MaxPooling1D / AveragePooling1D: padded cells never count (avg divides by the real cells). */
export function pool1d(x: Sequence, kind: "max" | "avg", size: number, stride: number, padding: "valid" | "same" | number): Sequence {
  const n = x.length;
  const c = x[0]!.length;
  const { before, out } = axis(n, size, stride, 1, padding);
  const y: Sequence = [];
  for (let t = 0; t < out; t++) {
    const row: number[] = [];
    for (let j = 0; j < c; j++) {
      const cells: number[] = [];
      for (let tap = 0; tap < size; tap++) {
        const i = t * stride + tap - before;
        if (i >= 0 && i < n) cells.push(x[i]![j]!);
      }
      row.push(kind === "max" ? Math.max(...cells) : cells.reduce((a, b) => a + b, 0) / cells.length);
    }
    y.push(row);
  }
  return y;
}

export function globalPool1d(x: Sequence, kind: "max" | "avg"): number[] {
  const c = x[0]!.length;
  return Array.from({ length: c }, (_, j) => {
    const column = x.map((row) => row[j]!);
    return kind === "max" ? Math.max(...column) : column.reduce((a, b) => a + b, 0) / column.length;
  });
}

/** Nearest-neighbour upsampling: each cell repeated sh x sw times. */
export function upsampleNearest(x: Image, sh: number, sw: number): Image {
  return Array.from({ length: x.length * sh }, (_, oy) => Array.from({ length: x[0]!.length * sw }, (_, ox) => [...x[Math.floor(oy / sh)]![Math.floor(ox / sw)]!]));
}

/** Bilinear with half-pixel centres, as TensorFlow 2's tf.image.resize describes it: the source
 *  of output o is (o + 0.5) / s - 0.5, below 0 read as 0, its upper neighbour clamped to the edge. */
export function upsampleBilinear(x: Image, sh: number, sw: number): Image {
  const h = x.length;
  const w = x[0]!.length;
  const c = x[0]![0]!.length;
  const source = (o: number, s: number, size: number): [number, number, number] => {
    const at = Math.max((o + 0.5) / s - 0.5, 0);
    const low = Math.min(Math.floor(at), size - 1);
    return [low, Math.min(low + 1, size - 1), at - low];
  };
  const y: Image = [];
  for (let oy = 0; oy < h * sh; oy++) {
    const [y0, y1, fy] = source(oy, sh, h);
    const row: number[][] = [];
    for (let ox = 0; ox < w * sw; ox++) {
      const [x0, x1, fx] = source(ox, sw, w);
      const cell: number[] = [];
      for (let j = 0; j < c; j++) {
        const top = x[y0]![x0]![j]! * (1 - fx) + x[y0]![x1]![j]! * fx;
        const bottom = x[y1]![x0]![j]! * (1 - fx) + x[y1]![x1]![j]! * fx;
        cell.push(top * (1 - fy) + bottom * fy);
      }
      row.push(cell);
    }
    y.push(row);
  }
  return y;
}
