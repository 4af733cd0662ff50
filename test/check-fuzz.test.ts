// Random pipelines with wild arguments: the checker never throws, every diagnostic is well formed,
// and every accepted model has positive, exact shapes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { allCodes } from "../src/diagnostics/index.js";

const numbers = ["0", "1", "2", "3", "5", "2.5", "0.5", "1e400", "99999999999999999999", "9007199254740993"];
const paddings = ["valid", "same", "0", "1", "2", "[1, 0]", "vaild"];

const num = fc.constantFrom(...numbers);
const call = fc.oneof(
  fc
    .tuple(num, num, num, fc.constantFrom(...paddings), num)
    .map(([f, k, s, p, d]) => `conv2d(${f}, kernel: ${k}, stride: ${s}, padding: ${p}, dilation: ${d})`),
  fc.tuple(num, fc.constantFrom(...paddings)).map(([k, p]) => `maxpool(${k}, padding: ${p})`),
  fc.tuple(num, num).map(([k, s]) => `avgpool([${k}, 2], stride: ${s})`),
  num.map((u) => `dense(${u})`),
  num.map((r) => `dropout(${r})`),
  num.map((a) => `leaky_relu(${a})`),
  fc.constantFrom("relu", "softmax", "flatten", "global_avgpool", "global_maxpool", "tanh", "add(x)", "concat(x)", "rleu"),
);
const dims = fc.array(fc.constantFrom("1", "2", "7", "8", "28", "0", "99999999999999999999"), { minLength: 1, maxLength: 4 });

describe("random pipelines", () => {
  it("never throw and give well-formed diagnostics or well-formed models", () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(dims, fc.array(call, { minLength: 1, maxLength: 6 }), (shape, calls) => {
        const source = `model T {\n  input x: [${shape.join(", ")}]\n  y = x |> ${calls.join(" |> ")}\n}`;
        const analysis = analyze(source);
        if (analysis.checked) accepted++;
        else rejected++;
        for (const d of analysis.diagnostics) {
          expect(allCodes).toContain(d.code);
          expect(d.message).not.toMatch(/NaN|undefined|Infinity|null/);
          expect(d.span.start).toBeGreaterThanOrEqual(0);
          expect(d.span.end).toBeLessThanOrEqual(source.length);
        }
        for (const model of analysis.checked?.models ?? []) {
          for (const tensor of model.tensors) expect(tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 1)).toBe(true);
          for (const layer of model.layers) expect(Number.isFinite(layer.flops) && layer.flops >= 0).toBe(true);
        }
      }),
      { numRuns: 400, seed: 20240611 },
    );
    // both outcomes must be exercised for the property to mean anything
    expect(accepted).toBeGreaterThan(10);
    expect(rejected).toBeGreaterThan(10);
  });
});
