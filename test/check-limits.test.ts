// Limits and overflow safety: huge literals give diagnostics, never NaN, a RangeError or a hang.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { check, defaultLimits, type Limits } from "../src/check/check.js";
import { parse } from "../src/syntax/parse.js";
import { SourceFile } from "../src/source/span.js";

function codesWith(source: string, limits: Partial<Limits>): string[] {
  const parsed = parse(new SourceFile("limits.cnn", source));
  if (!parsed.program || parsed.diagnostics.length > 0) throw new Error(parsed.diagnostics.map((d) => d.message).join("\n"));
  return check(parsed.program, { limits }).diagnostics.map((d) => d.code);
}

const codes = (source: string): string[] => analyze(source).diagnostics.map((d) => d.code);

describe("default limits", () => {
  it("are the documented ones", () => {
    expect(defaultLimits).toEqual({ maxRank: 3, maxElements: 2 ** 26, maxParamBytes: 2 ** 30, maxLayers: 1000, maxDim: 2 ** 24 });
  });

  it("bound the input rank", () => {
    expect(codes("model T {\n  input x: [2, 2, 2, 2]\n  y = x |> relu\n}")).toEqual(["CNN3008"]);
    expect(codesWith("model T {\n  input x: [2, 2, 2, 2]\n  y = x |> relu\n}", { maxRank: 4 })).toEqual([]);
  });

  it("bound elements per tensor, at the input and at each layer", () => {
    expect(codes("model T {\n  input x: [8192, 8192, 2]\n  y = x |> relu\n}")).toEqual(["CNN3009"]);
    expect(codes("model T {\n  input x: [2048, 2048, 3]\n  y = x |> conv2d(64, 3)\n}")).toEqual(["CNN3009"]);
    expect(codesWith("model T {\n  input x: [10, 10]\n  y = x |> relu\n}", { maxElements: 99 })).toEqual(["CNN3009"]);
  });

  it("bound parameter bytes at f64, once, at the layer that crosses the limit", () => {
    expect(codes("model T {\n  input x: [16384]\n  y = x |> dense(16384) |> dense(16384)\n}")).toEqual(["CNN3010"]);
    // 10*10 + 10 parameters, 880 bytes
    expect(codesWith("model T {\n  input x: [10]\n  y = x |> dense(10)\n}", { maxParamBytes: 880 })).toEqual([]);
    expect(codesWith("model T {\n  input x: [10]\n  y = x |> dense(10)\n}", { maxParamBytes: 879 })).toEqual(["CNN3010"]);
  });

  it("bound the number of layers", () => {
    const relus = Array.from({ length: 1001 }, () => "relu").join(" |> ");
    expect(codes(`model T {\n  input x: [2]\n  y = x |> ${relus}\n}`)).toEqual(["CNN3011"]);
    expect(codesWith("model T {\n  input x: [2]\n  y = x |> relu |> relu |> relu\n}", { maxLayers: 2 })).toEqual(["CNN3011"]);
  });

  it("bound each dimension and size argument", () => {
    expect(codes("model T {\n  input x: [16777217]\n  y = x |> relu\n}")).toEqual(["CNN3012"]);
    expect(codes("model T {\n  input x: [16777216]\n  y = x |> dense(1)\n}")).toEqual([]);
    expect(codesWith("model T {\n  input x: [8]\n  y = x |> dense(9)\n}", { maxDim: 8 })).toEqual(["CNN3012"]);
  });
});

describe("overflow safety", () => {
  const huge = ["99999999999999999999", "9007199254740992", "9007199254740993", "1" + "0".repeat(63)];

  it("turns huge dimensions into diagnostics", () => {
    for (const n of huge) {
      const diagnostics = analyze(`model T {\n  input x: [${n}, ${n}, ${n}]\n  y = x |> flatten |> dense(${n})\n}`).diagnostics;
      expect(
        diagnostics.map((d) => d.code),
        n,
      ).toEqual(["CNN3012", "CNN3012", "CNN3012", "CNN3012"]);
      expect(
        diagnostics.every((d) => !/NaN|Infinity/.test(d.message)),
        n,
      ).toBe(true);
    }
  });

  it("turns huge arguments into diagnostics", () => {
    for (const n of huge) {
      for (const call of [
        `conv2d(${n}, 3)`,
        `conv2d(2, ${n})`,
        `conv2d(2, 3, stride: ${n})`,
        `conv2d(2, 3, dilation: ${n})`,
        `maxpool(2, padding: ${n})`,
      ]) {
        expect(codes(`model T {\n  input x: [8, 8, 1]\n  y = x |> ${call}\n}`), call).toEqual(["CNN3012"]);
      }
      expect(
        codes(
          `model T {\n  input x: [2]\n  y = x |> dense(2)\n  train {\n    loss mse(y)\n    optimizer adam(schedule: step(every: ${n}))\n  }\n}`,
        ),
      ).toEqual(["CNN2014"]);
    }
  });

  it("multiplies large but legal sizes without losing the limit check", () => {
    // every dim at the limit: 2^72 elements, far beyond 2^53, must still compare as too many
    const max = defaultLimits.maxDim;
    expect(codes(`model T {\n  input x: [${max}, ${max}, ${max}]\n  y = x |> relu\n}`)).toEqual(["CNN3009"]);
    expect(
      codesWith(`model T {\n  input x: [${max}, ${max}, ${max}]\n  y = x |> conv2d(${max}, 1)\n}`, {
        maxElements: Infinity,
        maxParamBytes: Infinity,
      }),
    ).toEqual([]);
  });
});
