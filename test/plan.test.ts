// The memory plan: flatten is an alias (no copy in either direction), fused activations, and
// a code size that grows with the number of layers, not with tensor sizes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, compile } from "../src/index.js";
import { lower } from "../src/ir/lower.js";
import type { Graph } from "../src/ir/graph.js";

function graphOf(path: string): Graph {
  const analysis = analyze(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path);
  expect(analysis.diagnostics).toEqual([]);
  return lower(analysis.checked!.models[0]!, { inputGradient: false });
}

function flattenAliases(graph: Graph): { input: number; output: number; dInput?: number; dOutput?: number }[] {
  const plan = graph.plan!;
  return graph.nodes
    .filter((n) => n.layer.op === "flatten")
    .map((n) => {
      const back = graph.train?.backward.find((b) => b.node === n.id);
      return {
        input: plan.offsets.get(n.inputs[0]!)!,
        output: plan.offsets.get(n.output)!,
        dInput: back ? plan.offsets.get(back.dxs[0]!) : undefined,
        dOutput: back ? plan.offsets.get(back.dy) : undefined,
      };
    });
}

describe("memory plan", () => {
  for (const path of ["examples/lenet.cnn", "examples/residual.cnn"]) {
    it(`aliases every flatten's output and gradient onto its input's storage in ${path}`, () => {
      const aliases = flattenAliases(graphOf(path));
      expect(aliases.length).toBeGreaterThan(0);
      for (const a of aliases) {
        expect(a.output).toBe(a.input);
        expect(a.dOutput).toBeDefined();
        expect(a.dOutput).toBe(a.dInput);
      }
    });
  }

  it("fuses each relu that follows a conv2d or dense in LeNet", () => {
    const graph = graphOf("examples/lenet.cnn");
    const relus = graph.nodes.filter((n) => n.layer.op === "relu");
    expect(relus.length).toBe(4);
    for (const r of relus) expect(r.fusedInto).toBeDefined();
  });

  it("emits no code for LeNet's flatten, forward or backward: only comments mention it", async () => {
    const code = readFileSync(new URL("../generated/lenet.ts", import.meta.url), "utf8");
    const mentions = code.split("\n").filter((line) => line.includes("logits.flatten1"));
    expect(mentions.length).toBeGreaterThanOrEqual(2);
    for (const line of mentions) expect(line.trim()).toMatch(/^\/\/ logits\.flatten1: flatten, no code/);
    // The dense layer after it reads the pooled tensor's storage directly.
    expect(code).not.toMatch(/(Forward|Backward): logits\.flatten1/);
  });
});

describe("code-size policy", () => {
  const net = (size: number): string => `model Big {
    input image: [${size}, ${size}, 3]
    f = image |> conv2d(8, kernel: 3, padding: same) |> relu |> maxpool(2)
      |> conv2d(8, kernel: 5, stride: 2) |> relu |> avgpool(3, padding: same) |> global_maxpool
    logits = f |> dense(10)
    train { loss softmax_cross_entropy(logits) optimizer adam() }
  }`;

  it("a 224x224 input gives no bigger a module than a 28x28 one, layer for layer", async () => {
    const small = await compile(net(28));
    const large = await compile(net(224));
    expect(small.code).toBeDefined();
    expect(large.code).toBeDefined();
    // Only the literals change; allow for their extra digits.
    expect(large.code!.length).toBeLessThanOrEqual(small.code!.length * 1.05);
    expect(large.code!.split("\n").length).toBeLessThanOrEqual(small.code!.split("\n").length * 1.05);
  });
});
