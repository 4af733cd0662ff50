// Independent references for the second wave's convolutions, from their definitions in
// LANGUAGE.md, on images indexed [y][x][c]. Grouped and separable convolutions are built from the
// core reference conv2d (reference.ts) on slices; depthwise and transposed ones are written out.
import { axisPadding, conv2d, type ConvKernel, type ConvOptions, type Image, type PaddingSpec, type Pair } from "./reference.js";

const dims = (image: Image): [number, number, number] => [image.length, image[0]!.length, image[0]![0]!.length];

/** Channels [from, from + n) of an image. */
function sliceChannels(x: Image, from: number, n: number): Image {
  return x.map((row) => row.map((cell) => cell.slice(from, from + n)));
}

/** Images of one size, their channels side by side. */
function concatChannels(parts: Image[]): Image {
  return parts[0]!.map((row, y) => row.map((_, x) => parts.flatMap((p) => p[y]![x]!)));
}

/** conv2d with groups: group g convolves input channels [g*cg, (g+1)*cg) with filters
 *  [g*fg, (g+1)*fg) of the kernel [kh, kw, cg, filters]. */
export function groupedConv2d(x: Image, kernel: ConvKernel, bias: readonly number[] | null, groups: number, o: ConvOptions): Image {
  const cg = dims(x)[2] / groups;
  const filters = kernel[0]![0]![0]!.length;
  const fg = filters / groups;
  const parts: Image[] = [];
  for (let g = 0; g < groups; g++) {
    const k = kernel.map((row) => row.map((taps) => taps.map((out) => out.slice(g * fg, (g + 1) * fg))));
    parts.push(conv2d(sliceChannels(x, g * cg, cg), k, bias ? bias.slice(g * fg, (g + 1) * fg) : null, o));
  }
  return concatChannels(parts);
}

/** depthwise_conv2d: output channel ci*m + j = input channel ci convolved with kernel[.., ci, j]. */
export function depthwiseConv2d(x: Image, kernel: ConvKernel, bias: readonly number[] | null, o: ConvOptions): Image {
  const [h, w, c] = dims(x);
  const kh = kernel.length;
  const kw = kernel[0]!.length;
  const m = kernel[0]![0]![0]!.length;
  const rows = axisPadding(h, kh, o.stride[0], o.dilation[0], o.padding);
  const cols = axisPadding(w, kw, o.stride[1], o.dilation[1], o.padding);
  const out: Image = [];
  for (let oy = 0; oy < rows.out; oy++) {
    const row: number[][] = [];
    for (let ox = 0; ox < cols.out; ox++) {
      const cell: number[] = [];
      for (let ci = 0; ci < c; ci++)
        for (let j = 0; j < m; j++) {
          let sum = bias ? bias[ci * m + j]! : 0;
          for (let i = 0; i < kh; i++)
            for (let jj = 0; jj < kw; jj++) {
              const y = oy * o.stride[0] + i * o.dilation[0] - rows.before;
              const xx = ox * o.stride[1] + jj * o.dilation[1] - cols.before;
              if (y >= 0 && y < h && xx >= 0 && xx < w) sum += x[y]![xx]![ci]! * kernel[i]![jj]![ci]![j]!;
            }
          cell.push(sum);
        }
      row.push(cell);
    }
    out.push(row);
  }
  return out;
}

/** separable_conv2d: depthwise (no bias), then the 1x1 conv with the pointwise kernel and the bias. */
export function separableConv2d(x: Image, depthwise: ConvKernel, pointwise: ConvKernel, bias: readonly number[] | null, o: ConvOptions): Image {
  return conv2d(depthwiseConv2d(x, depthwise, null, o), pointwise, bias, { stride: [1, 1], dilation: [1, 1], padding: "valid" });
}

/** The transposed kernel layout [kh, kw, filters, c] read as nested arrays [i][j][f][c]. */
export type TransposeKernel = number[][][][];

/** conv2d_transpose: every input pixel scatters kernel . x into the full output ((n-1)*s + k per
 *  axis), which is then cropped (same: floor(max(k - s, 0) / 2) at the top/left) or extended
 *  with zeros to Keras' output size (n*s + max(k - s, 0) for valid, n*s for same). */
export function conv2dTranspose(x: Image, kernel: TransposeKernel, bias: readonly number[] | null, stride: Pair, padding: "valid" | "same"): Image {
  const [h, w, c] = dims(x);
  const kh = kernel.length;
  const kw = kernel[0]!.length;
  const filters = kernel[0]![0]!.length;
  const fullH = (h - 1) * stride[0] + kh;
  const fullW = (w - 1) * stride[1] + kw;
  const full: number[][][] = Array.from({ length: fullH }, () => Array.from({ length: fullW }, () => new Array<number>(filters).fill(0)));
  for (let iy = 0; iy < h; iy++)
    for (let ix = 0; ix < w; ix++)
      for (let i = 0; i < kh; i++)
        for (let j = 0; j < kw; j++)
          for (let f = 0; f < filters; f++)
            for (let ci = 0; ci < c; ci++) full[iy * stride[0] + i]![ix * stride[1] + j]![f]! += x[iy]![ix]![ci]! * kernel[i]![j]![f]![ci]!;
  const size = (n: number, k: number, s: number): number => (padding === "same" ? n * s : n * s + Math.max(k - s, 0));
  const crop = (k: number, s: number): number => (padding === "same" ? Math.floor(Math.max(k - s, 0) / 2) : 0);
  const [oh, ow] = [size(h, kh, stride[0]), size(w, kw, stride[1])];
  const [top, left] = [crop(kh, stride[0]), crop(kw, stride[1])];
  const out: Image = [];
  for (let oy = 0; oy < oh; oy++) {
    const row: number[][] = [];
    for (let ox = 0; ox < ow; ox++) {
      const src = full[oy + top]?.[ox + left];
      row.push(Array.from({ length: filters }, (_, f) => (src ? src[f]! : 0) + (bias ? bias[f]! : 0)));
    }
    out.push(row);
  }
  return out;
}

export type { PaddingSpec };
