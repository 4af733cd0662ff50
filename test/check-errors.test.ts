// Error reporting across statements: every independent error, none that follow from another.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import { nameCodes } from "../src/diagnostics/names.js";
import { shapeCodes } from "../src/diagnostics/shapes.js";

describe("independent errors", () => {
  it("are all reported: an unknown op, a bad argument and a shape error", () => {
    const source = [
      "model T {",
      "  input x: [8, 8, 1]",
      "  a = x |> conv2d(4, kernel: 3) |> rleu",
      "  b = x |> conv2d(4, kernel: 3, stride: 0)",
      "  c = x |> conv2d(4, kernel: 3) |> dense(10)",
      "}",
    ].join("\n");
    const diagnostics = analyze(source).diagnostics;
    expect(diagnostics.map((d) => [d.code, source.slice(d.span.start, d.span.end)])).toEqual([
      ["CNN2001", "rleu"],
      ["CNN2014", "0"],
      ["CNN3001", "dense(10)"],
    ]);
    expect(diagnostics[2]!.notes[0]!.message).toBe("the input was produced here by `conv2d`, with shape [6, 6, 4]");
  });

  it("in several models are all reported", () => {
    const source = "model A {\n  input x: [4]\n  y = x |> rleu\n}\nmodel B {\n  input x: [4]\n  y = x |> dense(0)\n}";
    expect(analyze(source).diagnostics.map((d) => d.code)).toEqual(["CNN2001", "CNN2014"]);
  });
});

describe("follow-on errors", () => {
  it("are suppressed after a failed layer: its output has an unknown shape", () => {
    const source = "model T {\n  input x: [4, 4, 1]\n  a = x |> conv2d(2, kernel: 9) |> dense(3)\n  b = a |> conv2d(2, 1)\n  c: [7] = a\n}";
    expect(analyze(source).diagnostics.map((d) => d.code)).toEqual(["CNN3002"]);
  });

  it("are suppressed after an unknown name or op", () => {
    expect(analyze("model T {\n  input x: [4]\n  a = y |> conv2d(2, 1) |> dense(3)\n}").diagnostics.map((d) => d.code)).toEqual([
      "CNN2002",
    ]);
    expect(analyze("model T {\n  input x: [4]\n  a = x |> foo |> conv2d(2, 1)\n}").diagnostics.map((d) => d.code)).toEqual(["CNN2001"]);
  });

  it("still check the arguments of later calls", () => {
    expect(analyze("model T {\n  input x: [4]\n  a = x |> foo |> dense(0)\n}").diagnostics.map((d) => d.code)).toEqual([
      "CNN2001",
      "CNN2014",
    ]);
  });
});

describe("the catalog", () => {
  it("gives every message in lower case without a final period", () => {
    const source = "model T {\n  input x: [4]\n  a = x |> Relu |> dense(0)\n  b = x |> dense(3) |> conv2d(2, 1)\n}";
    for (const d of analyze(source).diagnostics) {
      expect(d.message[0]).toBe(d.message[0]!.toLowerCase());
      expect(d.message.endsWith(".")).toBe(false);
      expect(d.severity).toBe("error");
    }
  });

  it("lists unique codes in the 2xxx and 3xxx ranges", () => {
    expect(new Set(nameCodes).size).toBe(nameCodes.length);
    expect(new Set(shapeCodes).size).toBe(shapeCodes.length);
    expect(nameCodes.every((c) => /^CNN2\d{3}$/.test(c))).toBe(true);
    expect(shapeCodes.every((c) => /^CNN3\d{3}$/.test(c))).toBe(true);
  });
});
