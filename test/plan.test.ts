// The memory plan: flatten is an alias (no copy in either direction), fused activations, and
// a code size that grows with the number of layers, not with tensor sizes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze, compile } from "../src/index.js";
import { lower } from "../src/ir/lower.js";
import { buildForward } from "../src/ir/build.js";
import { fuseActivations } from "../src/ir/fuse.js";
import { differentiate } from "../src/ir/autodiff.js";
import { planMemory } from "../src/ir/plan.js";
import { verify } from "../src/ir/verify.js";
import type { Graph } from "../src/ir/graph.js";

function graphOf(path: string): Graph {
  const analysis = analyze(readFileSync(new URL(`../${path}`, import.meta.url), "utf8"), path);
  expect(analysis.diagnostics).toEqual([]);
  const lowered = lower(analysis.checked!.models[0]!, { inputGradient: false, precision: "f32" });
  expect(lowered.diagnostics).toEqual([]);
  return lowered.graph!;
}

function flattenAliases(graph: Graph): { input: number; output: number; dInput?: number; dOutput?: number }[] {
  const plan = graph.plan;
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

describe("the IR's stages", () => {
  const lenet = (): ReturnType<typeof analyze> => analyze(readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8"), "examples/lenet.cnn");

  it("sizes every per-sample buffer for a batch block, parameters and their state once", () => {
    const model = lenet().checked!.models[0]!;
    const one = lower(model, { inputGradient: false, precision: "f32" }).graph!;
    const trained = differentiate(fuseActivations(buildForward(model)), model.train, false);
    const four = planMemory(trained, { precision: "f32", block: 4 });
    expect(verify(four, "planning memory")).toEqual([]);
    expect(four.plan.block).toBe(4);
    expect(four.plan.paramOffset).toBe(one.plan.paramOffset);
    expect(four.plan.stateOffsets).toEqual(one.plan.stateOffsets);
    const perSample = (g: typeof one): number => g.plan.arenaSize - 3 * g.paramCount;
    expect(perSample(four)).toBe(4 * perSample(one));
    expect(four.plan.indexSize).toBe(4 * one.plan.indexSize);
    expect(four.plan.gradRegion.end - four.plan.gradRegion.start).toBe(4 * (one.plan.gradRegion.end - one.plan.gradRegion.start));
  });

  it("passes return new values and leave the one they were given as it was", () => {
    const model = lenet().checked!.models[0]!;
    const built = buildForward(model);
    const before = JSON.stringify(built.nodes.map((n) => [n.output, n.fusedInto ?? null]));
    const fused = fuseActivations(built);
    expect(JSON.stringify(built.nodes.map((n) => [n.output, n.fusedInto ?? null]))).toBe(before);
    expect(fused.nodes.some((n) => n.fusedInto !== undefined)).toBe(true);
    const valuesBefore = fused.values.length;
    const trained = differentiate(fused, model.train, false);
    expect(fused.values.length).toBe(valuesBefore);
    expect(trained.values.length).toBeGreaterThan(valuesBefore);
  });

  it("reports a broken invariant as a CNN9001 diagnostic naming the model, the pass and the node", () => {
    const model = lenet().checked!.models[0]!;
    const built = buildForward(model);
    // a node that reads a value produced after it
    const broken = { ...built, nodes: built.nodes.map((n, i) => (i === 0 ? { ...n, inputs: [built.nodes[3]!.output] } : n)) };
    const diagnostics = verify(broken, "fusing activations");
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]!.code).toBe("CNN9001");
    expect(diagnostics[0]!.message).toContain("model 'LeNet'");
    expect(diagnostics[0]!.message).toContain("after fusing activations");
    expect(diagnostics[0]!.message).toContain("conv2d 'features.conv2d1'");
    expect(diagnostics[0]!.help).toContain("bug in cnnc");
  });

  it("compile() takes an analysis and gives what it gives for the source", async () => {
    const analysis = lenet();
    const fromAnalysis = await compile(analysis, { format: false });
    const fromSource = await compile(readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8"), { path: "examples/lenet.cnn", format: false });
    expect(fromAnalysis.code).toBeDefined();
    expect(fromAnalysis.code).toBe(fromSource.code);
  });
});
