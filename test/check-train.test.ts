// The train section: one loss, one optimizer, their arguments, defaults and tensor rules.
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { TrainSpec } from "../src/check/types.js";

const net = "  input x: [6]\n  logits = x |> dense(3)\n  output probs = logits |> softmax\n  gate = x |> dense(1) |> sigmoid\n";

function train(entries: string): TrainSpec {
  const analysis = analyze(`model T {\n${net}  train {\n${entries}\n  }\n}`);
  if (!analysis.checked) throw new Error(analysis.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return analysis.checked.models[0]!.train!;
}

function diagnose(entries: string): { code: string; at: string; help?: string }[] {
  const source = `model T {\n${net}  train {\n${entries}\n  }\n}`;
  return analyze(source).diagnostics.map((d) => ({ code: d.code, at: source.slice(d.span.start, d.span.end), help: d.help }));
}

describe("optimizers", () => {
  it("fill sgd's defaults", () => {
    expect(train("    loss mse(probs)\n    optimizer sgd(0.1)").optimizer).toMatchObject({
      kind: "sgd",
      lr: 0.1,
      momentum: 0,
      nesterov: false,
      weightDecay: 0,
      clipNorm: null,
      schedule: { kind: "none" },
    });
  });

  it("fill adam's defaults, Keras' eps included", () => {
    expect(train("    loss mse(probs)\n    optimizer adam").optimizer).toMatchObject({
      kind: "adam",
      lr: 0.001,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-7,
      weightDecay: 0,
      clipNorm: null,
      schedule: { kind: "none" },
    });
  });

  it("take clip_norm and a schedule", () => {
    const spec = train(
      "    loss mse(probs)\n    optimizer sgd(lr: 0.1, momentum: 0.9, nesterov: true, clip_norm: 5, schedule: step(every: 10, gamma: 0.5))",
    );
    expect(spec.optimizer).toMatchObject({ nesterov: true, clipNorm: 5, schedule: { kind: "step", every: 10, gamma: 0.5 } });
    expect(train("    loss mse(probs)\n    optimizer adam(schedule: cosine)").optimizer.schedule).toEqual({ kind: "cosine" });
    expect(train("    loss mse(probs)\n    optimizer adam(schedule: cosine())").optimizer.schedule).toEqual({ kind: "cosine" });
    expect(train("    loss mse(probs)\n    optimizer adam(schedule: step(3))").optimizer.schedule).toEqual({
      kind: "step",
      every: 3,
      gamma: 0.1,
    });
  });

  it("check ranges and the nesterov rule", () => {
    expect(diagnose("    loss mse(probs)\n    optimizer sgd()")).toMatchObject([{ code: "CNN2011", at: "sgd()" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer sgd(0)")).toMatchObject([{ code: "CNN2014", at: "0" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer sgd(0.1, momentum: 1)")).toMatchObject([{ code: "CNN2014", at: "1" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(beta2: 1)")).toMatchObject([{ code: "CNN2014" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(eps: 0)")).toMatchObject([{ code: "CNN2014" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(clip_norm: 0)")).toMatchObject([{ code: "CNN2014" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer sgd(0.1, nesterov: true)")).toMatchObject([
      { code: "CNN2031", at: "nesterov: true" },
    ]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(schedule: step(every: 2, gamma: 0))")).toMatchObject([
      { code: "CNN2014", at: "0" },
    ]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(schedule: linear)")).toMatchObject([{ code: "CNN2013", at: "linear" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(schedule: 3)")).toMatchObject([{ code: "CNN2012", at: "3" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adam(schedule: cosine(3))")).toMatchObject([{ code: "CNN2010", at: "3" }]);
    expect(diagnose("    loss mse(probs)\n    optimizer adma(lr: 1)")).toMatchObject([
      { code: "CNN2028", at: "adma", help: "did you mean `adam`?" },
    ]);
  });
});

describe("losses", () => {
  it("name the tensor they score", () => {
    const spec = train("    loss softmax_cross_entropy(logits)\n    optimizer adam");
    expect(spec.loss.kind).toBe("softmax_cross_entropy");
    const model = analyze(`model T {\n${net}  train {\n    loss softmax_cross_entropy(logits)\n    optimizer adam\n  }\n}`).checked!
      .models[0]!;
    expect(model.tensors[spec.loss.tensor]!.name).toBe("logits");
    expect(train("    loss binary_cross_entropy(gate)\n    optimizer adam").loss.kind).toBe("binary_cross_entropy");
    expect(train("    loss mse(tensor: gate)\n    optimizer adam").loss.kind).toBe("mse");
  });

  it("softmax_cross_entropy wants logits, not a softmax output", () => {
    expect(diagnose("    loss softmax_cross_entropy(probs)\n    optimizer adam")).toEqual([
      {
        code: "CNN2029",
        at: "probs",
        help: "pass the logits, the input of softmax: `softmax_cross_entropy(logits)` (the loss applies softmax itself)",
      },
    ]);
  });

  it("softmax_cross_entropy wants a vector of two or more classes", () => {
    const one = "model T {\n  input x: [6]\n  y = x |> dense(1)\n  train {\n    loss softmax_cross_entropy(y)\n    optimizer adam\n  }\n}";
    expect(analyze(one).diagnostics.map((d) => d.code)).toEqual(["CNN3007"]);
    const image =
      "model T {\n  input x: [2, 2, 3]\n  y = x |> relu\n  train {\n    loss softmax_cross_entropy(y)\n    optimizer adam\n  }\n}";
    expect(analyze(image).diagnostics.map((d) => d.code)).toEqual(["CNN3007"]);
  });

  it("binary_cross_entropy wants a sigmoid output", () => {
    expect(diagnose("    loss binary_cross_entropy(logits)\n    optimizer adam")).toMatchObject([{ code: "CNN2030", at: "logits" }]);
  });

  it("report unknown losses and tensors", () => {
    expect(diagnose("    loss crossentropy(logits)\n    optimizer adam")).toMatchObject([{ code: "CNN2027", at: "crossentropy" }]);
    expect(diagnose("    loss mse(logit)\n    optimizer adam")).toMatchObject([
      { code: "CNN2002", at: "logit", help: "did you mean 'logits'?" },
    ]);
    expect(diagnose("    loss mse(logits) as l\n    optimizer adam")).toMatchObject([{ code: "CNN2032", at: "l" }]);
  });
});

describe("the section", () => {
  it("needs exactly one loss and one optimizer", () => {
    expect(diagnose("")).toMatchObject([
      { code: "CNN2022", at: "train" },
      { code: "CNN2024", at: "train" },
    ]);
    expect(diagnose("    loss mse(probs)\n    loss mse(logits)\n    optimizer adam\n    optimizer adam").map((d) => d.code)).toEqual([
      "CNN2023",
      "CNN2025",
    ]);
  });

  it("appears at most once", () => {
    const source = `model T {\n${net}  train {\n    loss mse(probs)\n    optimizer adam\n  }\n  train {\n  }\n}`;
    expect(analyze(source).diagnostics.map((d) => d.code)).toContain("CNN2026");
  });

  it("may come before the tensors it names", () => {
    const source = "model T {\n  train {\n    loss mse(y)\n    optimizer adam\n  }\n  input x: [2]\n  y = x |> dense(2)\n}";
    expect(analyze(source).checked).toBeDefined();
  });
});
