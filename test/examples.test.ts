// The examples the README points at behave as it says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/index.js";

describe("examples", () => {
  it("broken.cnn reports its three independent errors in one run", () => {
    const path = "examples/broken.cnn";
    const result = analyze(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["CNN2007", "CNN3002", "CNN3001"]);
    expect(result.checked).toBeUndefined();
  });

  it.each(["lenet", "cifar", "residual", "inception"])("%s.cnn checks cleanly", (name) => {
    const path = `examples/${name}.cnn`;
    const result = analyze(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path);
    expect(result.diagnostics).toEqual([]);
    expect(result.checked!.models).toHaveLength(1);
  });
});
