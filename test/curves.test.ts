// The training-curve SVG of `npm start` (examples/mnist/curves.ts); the --quick run in
// mnist.test.ts checks a real history's SVG in Chromium's XML parser.
import { describe, expect, it } from "vitest";
import { trainingCurvesSvg } from "../examples/mnist/curves.js";

const epoch = (n: number, loss: number, accuracy: number, val?: [number, number]) => ({
  epoch: n,
  loss,
  accuracy,
  ...(val === undefined ? {} : { valLoss: val[0], valAccuracy: val[1] }),
  samplesPerSecond: 100,
  seconds: 1,
});

describe("the training-curve SVG", () => {
  it("draws a point an epoch, lower loss lower on the chart", () => {
    const svg = trainingCurvesSvg([epoch(1, 0.8, 0.7, [0.5, 0.8]), epoch(2, 0.4, 0.9, [0.3, 0.9]), epoch(3, 0.2, 0.95, [0.25, 0.93])], "run");
    const curves = [...svg.matchAll(/<polyline class="(train|test)"[^>]* points="([^"]*)"/g)];
    expect(curves.map((m) => m[1])).toEqual(["train", "test", "train", "test"]);
    const ys = (points: string): number[] => points.split(" ").map((p) => Number(p.split(",")[1]));
    // SVG's y grows downwards: a falling loss climbs in y, a rising accuracy falls in y
    const trainLoss = ys(curves[0]![2]!);
    expect(trainLoss[0]!).toBeLessThan(trainLoss[1]!);
    const trainAccuracy = ys(curves[2]![2]!);
    expect(trainAccuracy[0]!).toBeGreaterThan(trainAccuracy[2]!);
  });

  it("leaves out the test curves of a run without validation, and escapes the title", () => {
    const svg = trainingCurvesSvg([epoch(1, 0.5, 0.8)], "a <b> & c");
    expect(svg.match(/<polyline class="test"/g)).toBeNull();
    expect(svg.match(/<polyline class="train"/g)).toHaveLength(2);
    expect(svg).toContain("a &lt;b&gt; &amp; c");
  });

  it("refuses an empty history", () => {
    expect(() => trainingCurvesSvg([], "x")).toThrow(RangeError);
  });
});
