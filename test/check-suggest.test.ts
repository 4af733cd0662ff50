// "Did you mean": edit distance and how close a suggestion must be.
import { describe, expect, it } from "vitest";
import { editDistance, suggest } from "../src/check/suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and adjacent swaps", () => {
    expect(editDistance("relu", "relu")).toBe(0);
    expect(editDistance("rleu", "relu")).toBe(1);
    expect(editDistance("kernal", "kernel")).toBe(1);
    expect(editDistance("conv", "conv2d")).toBe(2);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("sigmoid", "softmax")).toBe(6);
  });
});

describe("suggest", () => {
  const ops = ["conv2d", "maxpool", "avgpool", "relu", "sigmoid", "softmax", "dense", "flatten"];

  it("offers the closest candidate within a third of the name's length", () => {
    expect(suggest("rleu", ops)).toBe("relu");
    expect(suggest("maxpol", ops)).toBe("maxpool");
    expect(suggest("softmx", ops)).toBe("softmax");
    expect(suggest("Conv2D", ops)).toBe("conv2d");
  });

  it("offers nothing when no candidate is close", () => {
    expect(suggest("batchnorm", ops)).toBeUndefined();
    expect(suggest("x", ["y", "z"])).toBeUndefined();
    expect(suggest("relu", ["relu"])).toBeUndefined();
  });
});
