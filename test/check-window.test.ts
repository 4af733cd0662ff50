// The sliding-window rule (conv2d, pools) against two independent oracles: tfjs' own conv2d and
// maxPool output shapes and values, and plain enumeration of window positions.
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { beforeAll, describe, expect, it } from "vitest";
import { resolveAxis, resolveWindow, windowSpan, type AxisWindow } from "../src/check/window.js";
import type { PaddingArg } from "../src/check/args/kinds.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const paddings: AxisWindow["padding"][] = ["valid", "same", 0, 1, 2];

/** Counts window starts that fit on the padded axis, one stride apart. */
function enumeratePositions(padded: number, span: number, stride: number): number {
  let count = 0;
  for (let start = 0; start + span <= padded; start += stride) count++;
  return count;
}

function toPaddingArg(padding: AxisWindow["padding"]): PaddingArg {
  return typeof padding === "number" ? { kind: "explicit", pad: [padding, padding] } : { kind: padding };
}

function tfPad(
  padding: AxisWindow["padding"],
): "valid" | "same" | [[number, number], [number, number], [number, number], [number, number]] {
  return typeof padding === "number"
    ? [
        [0, 0],
        [padding, padding],
        [padding, padding],
        [0, 0],
      ]
    : padding;
}

/** tfjs' output [h, w] for a conv2d, or null when tfjs refuses or yields an empty output. */
function tfConvShape(
  h: number,
  w: number,
  k: readonly [number, number],
  stride: number,
  dilation: number,
  padding: AxisWindow["padding"],
): [number, number] | null {
  try {
    const shape = tf.tidy(
      () =>
        tf.conv2d(
          tf.zeros([1, h, w, 1]) as tf.Tensor4D,
          tf.zeros([k[0], k[1], 1, 1]) as tf.Tensor4D,
          stride,
          tfPad(padding),
          "NHWC",
          dilation,
        ).shape,
    );
    const [, oh, ow] = shape;
    return oh > 0 && ow > 0 ? [oh, ow] : null;
  } catch {
    return null;
  }
}

describe("output size per axis", () => {
  it("matches enumeration of window positions for valid and explicit padding", () => {
    for (let n = 1; n <= 12; n++)
      for (let size = 1; size <= 5; size++)
        for (let stride = 1; stride <= 3; stride++)
          for (let dilation = 1; dilation <= 2; dilation++)
            for (const padding of paddings.filter((p) => p !== "same")) {
              const pad = padding === "valid" ? 0 : padding;
              const result = resolveAxis(n, { size, stride, dilation, padding });
              const positions = enumeratePositions(n + 2 * pad, windowSpan(size, dilation), stride);
              if (positions === 0) expect(result.fits).toBe(false);
              else expect(result).toEqual({ fits: true, out: positions, before: pad, after: pad });
            }
  });

  it("same padding covers every input cell and splits the extra cell to the bottom", () => {
    for (let n = 1; n <= 12; n++)
      for (let size = 1; size <= 5; size++)
        for (let stride = 1; stride <= 3; stride++)
          for (let dilation = 1; dilation <= 2; dilation++) {
            const result = resolveAxis(n, { size, stride, dilation, padding: "same" });
            if (!result.fits) throw new Error("same padding always fits");
            expect(result.out).toBe(Math.ceil(n / stride));
            expect(result.after - result.before).toBeGreaterThanOrEqual(0);
            expect(result.after - result.before).toBeLessThanOrEqual(1);
            // the last window ends exactly at the padded edge, or inside it when no padding is needed
            const padded = n + result.before + result.after;
            expect(enumeratePositions(padded, windowSpan(size, dilation), stride)).toBe(result.out);
          }
  });
});

describe("2-d windows against tfjs conv2d", () => {
  it("agree on output shape for odd and even sizes, strides 1-3, dilations 1-2, every padding", () => {
    let compared = 0;
    for (const [h, w] of [
      [5, 6],
      [7, 4],
      [8, 8],
      [9, 3],
      [1, 2],
    ] as const)
      for (const kernel of [
        [1, 1],
        [2, 3],
        [3, 3],
        [4, 2],
        [5, 5],
      ] as const)
        for (let stride = 1; stride <= 3; stride++)
          for (let dilation = 1; dilation <= 2; dilation++) {
            // tfjs refuses stride and dilation both above 1; enumeration covers those above
            if (stride > 1 && dilation > 1) continue;
            for (const padding of paddings) {
              const ours = resolveWindow([h, w], {
                size: kernel,
                stride: [stride, stride],
                dilation: [dilation, dilation],
                padding: toPaddingArg(padding),
              });
              const theirs = tfConvShape(h, w, kernel, stride, dilation, padding);
              expect(ours.fits ? ours.out : null, `${h}x${w} k${kernel} s${stride} d${dilation} ${padding}`).toEqual(theirs);
              compared++;
            }
          }
    expect(compared).toBe(500);
  });

  it("place same padding where tfjs does (the extra row and column at the bottom/right)", () => {
    for (const [h, w] of [
      [5, 6],
      [4, 7],
      [6, 6],
    ] as const)
      for (const kernel of [
        [2, 2],
        [3, 4],
        [4, 3],
      ] as const)
        for (let stride = 1; stride <= 3; stride++) {
          const ours = resolveWindow([h, w], { size: kernel, stride: [stride, stride], dilation: [1, 1], padding: { kind: "same" } });
          if (!ours.fits) throw new Error("same padding always fits");
          // a kernel that picks its top-left tap reads input[i*s - top][j*s - left], zero outside
          const values = Array.from({ length: h * w }, (_, i) => i + 1);
          const tap = Array.from({ length: kernel[0] * kernel[1] }, (_, i) => (i === 0 ? 1 : 0));
          const actual = tf.tidy(() =>
            Array.from(
              tf.conv2d(tf.tensor4d(values, [1, h, w, 1]), tf.tensor4d(tap, [kernel[0], kernel[1], 1, 1]), stride, "same").dataSync(),
            ),
          );
          const expected: number[] = [];
          for (let i = 0; i < ours.out[0]; i++)
            for (let j = 0; j < ours.out[1]; j++) {
              const r = i * stride - ours.padding.top;
              const c = j * stride - ours.padding.left;
              expected.push(r >= 0 && r < h && c >= 0 && c < w ? values[r * w + c]! : 0);
            }
          expect(actual).toEqual(expected);
        }
  });

  it("agree with tfjs maxPool on output shape", () => {
    for (const [h, w] of [
      [5, 6],
      [7, 7],
      [8, 3],
    ] as const)
      for (const size of [1, 2, 3] as const)
        for (let stride = 1; stride <= 3; stride++)
          for (const padding of ["valid", "same"] as const) {
            const ours = resolveWindow([h, w], {
              size: [size, size],
              stride: [stride, stride],
              dilation: [1, 1],
              padding: { kind: padding },
            });
            const theirs = tf.tidy(() => tf.maxPool(tf.zeros([1, h, w, 2]) as tf.Tensor4D, size, stride, padding).shape);
            expect(ours.fits ? [1, ...ours.out, 2] : null).toEqual(theirs);
          }
  });
});

describe("windows that do not fit", () => {
  it("report the dilated span and the padded input size", () => {
    const result = resolveWindow([4, 6], { size: [3, 3], stride: [1, 1], dilation: [2, 1], padding: { kind: "explicit", pad: [0, 1] } });
    expect(result).toEqual({ fits: false, span: [5, 3], padded: [4, 8] });
  });
});
