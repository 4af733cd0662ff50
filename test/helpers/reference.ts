// Independent reference implementations of every core op, written for the tests with plain nested
// loops over images indexed [y][x][c] (HWC). Nothing here reads the compiler: padding and output
// sizes are recomputed from TensorFlow's rules, so a disagreement points at one side or the other.

/** An image as nested arrays: image[y][x][c]. */
export type Image = number[][][];

/** `valid`, `same`, or an explicit number of cells on each side. */
export type PaddingSpec = "valid" | "same" | number;

export type Pair = readonly [number, number];

/** A Keras conv kernel [kh, kw, in, filters] as nested arrays. */
export type ConvKernel = number[][][][];

/** Row-major HWC values to nested arrays. */
export function toImage(data: ArrayLike<number>, h: number, w: number, c: number): Image {
  if (data.length !== h * w * c) throw new Error(`toImage: ${data.length} values for [${h}, ${w}, ${c}]`);
  const image: Image = [];
  for (let y = 0; y < h; y++) {
    const row: number[][] = [];
    for (let x = 0; x < w; x++) {
      const cell: number[] = [];
      for (let k = 0; k < c; k++) cell.push(Number(data[(y * w + x) * c + k]));
      row.push(cell);
    }
    image.push(row);
  }
  return image;
}

/** Nested arrays back to row-major values (Keras' Flatten order). */
export function flattenImage(image: Image): number[] {
  const out: number[] = [];
  for (const row of image) for (const cell of row) for (const v of cell) out.push(v);
  return out;
}

/** A flat Keras conv kernel to nested arrays [i][j][in][filter]. */
export function toConvKernel(data: ArrayLike<number>, kh: number, kw: number, cin: number, filters: number): ConvKernel {
  const kernel: ConvKernel = [];
  for (let i = 0; i < kh; i++) {
    const row: number[][][] = [];
    for (let j = 0; j < kw; j++) {
      const taps: number[][] = [];
      for (let c = 0; c < cin; c++) {
        const out: number[] = [];
        for (let f = 0; f < filters; f++) out.push(Number(data[((i * kw + j) * cin + c) * filters + f]));
        taps.push(out);
      }
      row.push(taps);
    }
    kernel.push(row);
  }
  return kernel;
}

const dims = (image: Image): [number, number, number] => [image.length, image[0]!.length, image[0]![0]!.length];

/** Cells padded before and after one axis, and the output length, by TensorFlow's rules. */
export function axisPadding(n: number, k: number, s: number, d: number, padding: PaddingSpec): { before: number; out: number } {
  const span = d * (k - 1) + 1;
  if (padding === "valid") return { before: 0, out: Math.floor((n - span) / s) + 1 };
  if (padding === "same") {
    const out = Math.ceil(n / s);
    const total = Math.max((out - 1) * s + span - n, 0);
    // The odd cell goes to the bottom/right, so `before` rounds down.
    return { before: Math.floor(total / 2), out };
  }
  return { before: padding, out: Math.floor((n + 2 * padding - span) / s) + 1 };
}

export interface ConvOptions {
  readonly stride: Pair;
  readonly dilation: Pair;
  readonly padding: PaddingSpec;
}

/** conv2d as a cross-correlation; taps that fall on padding contribute zero. */
export function conv2d(x: Image, kernel: ConvKernel, bias: readonly number[] | null, o: ConvOptions): Image {
  const [h, w, cin] = dims(x);
  const kh = kernel.length;
  const kw = kernel[0]!.length;
  const filters = kernel[0]![0]![0]!.length;
  const rows = axisPadding(h, kh, o.stride[0], o.dilation[0], o.padding);
  const cols = axisPadding(w, kw, o.stride[1], o.dilation[1], o.padding);
  const out: Image = [];
  for (let oy = 0; oy < rows.out; oy++) {
    const row: number[][] = [];
    for (let ox = 0; ox < cols.out; ox++) {
      const cell: number[] = [];
      for (let f = 0; f < filters; f++) {
        let sum = bias ? bias[f]! : 0;
        for (let i = 0; i < kh; i++) {
          const y = oy * o.stride[0] + i * o.dilation[0] - rows.before;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < kw; j++) {
            const xx = ox * o.stride[1] + j * o.dilation[1] - cols.before;
            if (xx < 0 || xx >= w) continue;
            for (let c = 0; c < cin; c++) sum += x[y]![xx]![c]! * kernel[i]![j]![c]![f]!;
          }
        }
        cell.push(sum);
      }
      row.push(cell);
    }
    out.push(row);
  }
  return out;
}

export interface PoolOptions {
  readonly size: Pair;
  readonly stride: Pair;
  readonly padding: PaddingSpec;
}

/** max/avg pooling where padded cells never count (TensorFlow's rule). */
export function pool(x: Image, kind: "max" | "avg", o: PoolOptions): Image {
  const [h, w, c] = dims(x);
  const rows = axisPadding(h, o.size[0], o.stride[0], 1, o.padding);
  const cols = axisPadding(w, o.size[1], o.stride[1], 1, o.padding);
  const out: Image = [];
  for (let oy = 0; oy < rows.out; oy++) {
    const row: number[][] = [];
    for (let ox = 0; ox < cols.out; ox++) {
      const cell: number[] = [];
      for (let k = 0; k < c; k++) {
        let max = -Infinity;
        let sum = 0;
        let count = 0;
        for (let i = 0; i < o.size[0]; i++) {
          const y = oy * o.stride[0] + i - rows.before;
          if (y < 0 || y >= h) continue;
          for (let j = 0; j < o.size[1]; j++) {
            const xx = ox * o.stride[1] + j - cols.before;
            if (xx < 0 || xx >= w) continue;
            const v = x[y]![xx]![k]!;
            max = Math.max(max, v);
            sum += v;
            count++;
          }
        }
        cell.push(kind === "max" ? max : sum / count);
      }
      row.push(cell);
    }
    out.push(row);
  }
  return out;
}

/** Pool over the whole height and width: [h, w, c] -> [c]. */
export function globalPool(x: Image, kind: "max" | "avg"): number[] {
  const [h, w, c] = dims(x);
  const out: number[] = [];
  for (let k = 0; k < c; k++) {
    let max = -Infinity;
    let sum = 0;
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++) {
        max = Math.max(max, x[y]![xx]![k]!);
        sum += x[y]![xx]![k]!;
      }
    out.push(kind === "max" ? max : sum / (h * w));
  }
  return out;
}

/** y = x K + b with a Keras dense kernel [in, units] given flat. */
export function dense(x: readonly number[], kernel: ArrayLike<number>, bias: ArrayLike<number> | null, units: number): number[] {
  if (kernel.length !== x.length * units) throw new Error(`dense: kernel of ${kernel.length} for ${x.length} x ${units}`);
  const out: number[] = [];
  for (let u = 0; u < units; u++) {
    let sum = bias ? Number(bias[u]) : 0;
    for (let i = 0; i < x.length; i++) sum += x[i]! * Number(kernel[i * units + u]);
    out.push(sum);
  }
  return out;
}

export const relu = (v: number): number => (v > 0 ? v : 0);
export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
export const tanh = (v: number): number => Math.tanh(v);
export const leakyRelu =
  (alpha: number) =>
  (v: number): number =>
    v > 0 ? v : alpha * v;

/** Applies f to every element of an image. */
export function mapImage(x: Image, f: (v: number) => number): Image {
  return x.map((row) => row.map((cell) => cell.map(f)));
}

/** Softmax of one vector, shifted by its max for stability. */
export function softmax(v: readonly number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / sum);
}

/** Softmax over the channel (last) axis of every pixel. */
export function softmaxImage(x: Image): Image {
  return x.map((row) => row.map((cell) => softmax(cell)));
}

/** Elementwise sum of images of one shape. */
export function addImages(...xs: Image[]): Image {
  return xs[0]!.map((row, y) => row.map((cell, x) => cell.map((_, k) => xs.reduce((s, im) => s + im[y]![x]![k]!, 0))));
}

/** Join images along the channel axis, in argument order. */
export function concatImages(...xs: Image[]): Image {
  return xs[0]!.map((row, y) => row.map((_, x) => xs.flatMap((im) => im[y]![x]!)));
}

/** -log softmax(z)[label]. */
export function crossEntropyLabel(logits: readonly number[], label: number): number {
  return -Math.log(softmax(logits)[label]!);
}

/** -sum t_j log softmax(z)_j for a (one-hot or soft) target t. */
export function crossEntropyTarget(logits: readonly number[], target: readonly number[]): number {
  const p = softmax(logits);
  return -target.reduce((s, t, j) => s + t * Math.log(p[j]!), 0);
}

/** Mean over elements of (y - t)^2. */
export function meanSquaredError(y: readonly number[], t: readonly number[]): number {
  return y.reduce((s, v, j) => s + (v - t[j]!) ** 2, 0) / y.length;
}

/** Mean over elements of -(t log p + (1 - t) log(1 - p)) for probabilities p. */
export function binaryCrossEntropy(p: readonly number[], t: readonly number[]): number {
  return p.reduce((s, v, j) => s - (t[j]! * Math.log(v) + (1 - t[j]!) * Math.log(1 - v)), 0) / p.length;
}

/** Index of the largest value (the first on ties). */
export function argmax(v: readonly number[]): number {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (v[j]! > v[best]!) best = j;
  return best;
}
