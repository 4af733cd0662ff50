// Names: bindings and their order, aliases, outputs and inputs, model names, and layer naming.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { CheckedModel } from "../src/check/types.js";

function checkedModel(source: string): CheckedModel {
  const analysis = analyze(source);
  if (!analysis.checked) throw new Error(analysis.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n"));
  return analysis.checked.models[0]!;
}

function diagnose(source: string): { code: string; at: string; notes: string[] }[] {
  return analyze(source).diagnostics.map((d) => ({
    code: d.code,
    at: source.slice(d.span.start, d.span.end),
    notes: d.notes.map((n) => (n.span ? source.slice(n.span.start, n.span.end) : "")),
  }));
}

describe("the LANGUAGE.md example", () => {
  const model = checkedModel(readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8"));

  it("has the shapes of LeNet with same padding on the first conv", () => {
    const named = Object.fromEntries(model.tensors.filter((t) => t.name).map((t) => [t.name, t.shape]));
    expect(named).toEqual({ image: [28, 28, 1], features: [5, 5, 16], logits: [10], probs: [10] });
    expect(model.tensors[model.output]!.name).toBe("probs");
  });

  it("names parameters binding.opN, kernel then bias, and counts 61,706 of them", () => {
    expect(model.params.map((p) => p.name)).toEqual([
      "features.conv2d1.kernel",
      "features.conv2d1.bias",
      "features.conv2d2.kernel",
      "features.conv2d2.bias",
      "logits.dense1.kernel",
      "logits.dense1.bias",
      "logits.dense2.kernel",
      "logits.dense2.bias",
      "logits.dense3.kernel",
      "logits.dense3.bias",
    ]);
    // by hand: (5*5*1*6 + 6) + (5*5*6*16 + 16) + (400*120 + 120) + (120*84 + 84) + (84*10 + 10)
    const total = model.params.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
    expect(total).toBe(156 + 2416 + 48120 + 10164 + 850);
    expect(total).toBe(61706);
  });

  it("names every layer, parameterless ones too", () => {
    expect(model.layers.map((l) => l.name)).toEqual([
      "features.conv2d1",
      "features.relu1",
      "features.maxpool1",
      "features.conv2d2",
      "features.relu2",
      "features.maxpool2",
      "logits.flatten1",
      "logits.dense1",
      "logits.relu1",
      "logits.dense2",
      "logits.relu2",
      "logits.dense3",
      "probs.softmax1",
    ]);
    expect(model.layers.every((l, i) => l.index === i)).toBe(true);
  });
});

describe("layer names", () => {
  it("use the binding's name for its only layer with parameters", () => {
    const model = checkedModel("model T {\n  input x: [4]\n  hidden = x |> dense(3) |> relu |> dropout(0.1)\n}");
    expect(model.layers.map((l) => l.name)).toEqual(["hidden", "hidden.relu1", "hidden.dropout1"]);
    expect(model.params.map((p) => p.name)).toEqual(["hidden.kernel", "hidden.bias"]);
  });

  it("use `as` names, counting ops without renaming the others", () => {
    const model = checkedModel("model T {\n  input x: [4]\n  h = x |> dense(3) as first |> relu as act |> dense(2)\n}");
    expect(model.layers.map((l) => l.name)).toEqual(["first", "act", "h.dense2"]);
    expect(model.params.map((p) => p.name)).toEqual(["first.kernel", "first.bias", "h.dense2.kernel", "h.dense2.bias"]);
  });

  it("record the binding of each layer and name merge sources", () => {
    const model = checkedModel("model T {\n  input x: [4]\n  a = x |> dense(4)\n  m = add(x, a) as merge |> relu\n}");
    expect(model.layers.map((l) => [l.name, l.binding])).toEqual([
      ["a", "a"],
      ["merge", "m"],
      ["m.relu1", "m"],
    ]);
  });

  it("reject a layer name used twice", () => {
    expect(diagnose("model T {\n  input x: [4]\n  a = x |> dense(4) as z\n  b = a |> dense(4) as z\n}")).toEqual([
      { code: "CNN2021", at: "z", notes: ["dense(4) as z"] },
    ]);
    expect(diagnose("model T {\n  input x: [4]\n  a = x |> dense(4)\n  b = a |> dense(4) as a\n}")).toEqual([
      { code: "CNN2021", at: "a", notes: ["dense(4)"] },
    ]);
  });
});

describe("bindings", () => {
  it("a binding without calls is another name for the same tensor", () => {
    const model = checkedModel("model T {\n  input x: [4]\n  h = x |> dense(3)\n  same = h\n  y = same |> relu\n}");
    expect(model.layers[1]!.inputs).toEqual([model.layers[0]!.output]);
    expect(model.tensors.filter((t) => t.name === "same")).toEqual([]);
  });

  it("reject unknown names with a suggestion and names used before their binding", () => {
    expect(diagnose("model T {\n  input image: [4]\n  y = imgae |> relu\n}")).toMatchObject([{ code: "CNN2002", at: "imgae" }]);
    expect(analyze("model T {\n  input image: [4]\n  y = imgae |> relu\n}").diagnostics[0]!.help).toBe("did you mean 'image'?");
    expect(diagnose("model T {\n  input x: [4]\n  y = h |> relu\n  h = x |> relu\n}")).toEqual([
      { code: "CNN2003", at: "h", notes: ["h"] },
    ]);
    expect(analyze("model T {\n  input x: [4]\n  y = relu |> dense(2)\n}").diagnostics[0]!.help).toBe(
      "`relu` is an op; a pipeline starts at a tensor, as in `x |> relu`",
    );
  });

  it("reject a name defined twice, with a note at the first", () => {
    expect(diagnose("model T {\n  input x: [4]\n  x = x |> relu\n}")).toEqual([{ code: "CNN2004", at: "x", notes: ["x"] }]);
  });

  it("check shape assertions at the annotation, noting where the shape came from", () => {
    const source = "model T {\n  input x: [4]\n  h: [3] = x |> dense(2) |> relu\n}";
    const [d] = analyze(source).diagnostics;
    expect(d).toMatchObject({ code: "CNN3005", message: "'h' has shape [2], not [3] as annotated" });
    expect(source.slice(d!.span.start, d!.span.end)).toBe("[3]");
    expect(source.slice(d!.notes[0]!.span!.start, d!.notes[0]!.span!.end)).toBe("relu");
    expect(analyze("model T {\n  input x: [4]\n  h: [2] = x |> dense(2)\n  output p: [2] = h |> softmax\n}").checked).toBeDefined();
    expect(diagnose("model T {\n  input x: [4]\n  h: [0] = x |> dense(2)\n}")).toMatchObject([{ code: "CNN3006", at: "0" }]);
  });
});

describe("inputs and outputs", () => {
  it("the output is the `output` binding, a named tensor, or else the last binding", () => {
    const explicit = checkedModel("model T {\n  input x: [4]\n  a = x |> dense(3)\n  output b = a |> relu\n  c = a |> tanh\n}");
    expect(explicit.tensors[explicit.output]!.name).toBe("b");
    const named = checkedModel("model T {\n  input x: [4]\n  output a\n  a = x |> dense(3)\n  c = a |> tanh\n}");
    expect(named.tensors[named.output]!.name).toBe("a");
    const last = checkedModel("model T {\n  input x: [4]\n  a = x |> dense(3)\n  c = a |> tanh\n}");
    expect(last.tensors[last.output]!.name).toBe("c");
    expect(last.tensors[last.input]!.name).toBe("x");
  });

  it("rejects several inputs or outputs as not supported yet", () => {
    expect(diagnose("model T {\n  input x: [4]\n  input y: [4]\n  a = x |> add(y)\n}")).toMatchObject([
      { code: "CNN2018", notes: ["input x: [4]"] },
    ]);
    expect(diagnose("model T {\n  input x: [4]\n  output a = x |> relu\n  output b = x |> tanh\n}")).toMatchObject([{ code: "CNN2019" }]);
  });

  it("requires an input, a binding, and a layer before the output", () => {
    expect(diagnose("model T {\n  a = b |> relu\n}").map((d) => d.code)).toEqual(["CNN2017", "CNN2002"]);
    expect(diagnose("model T {\n  input x: [4]\n}")).toMatchObject([{ code: "CNN2020", at: "T" }]);
    expect(diagnose("model T {\n  input x: [4]\n  y = x\n}")).toMatchObject([{ code: "CNN2034", at: "y" }]);
  });
});

describe("model names", () => {
  it("must be unique in the file", () => {
    const body = "{\n  input x: [4]\n  y = x |> relu\n}\n";
    expect(diagnose(`model A ${body}model A ${body}`)).toMatchObject([{ code: "CNN2005", notes: ["A"] }]);
  });

  it("must not be reserved words or globals the exported class would shadow", () => {
    for (const name of ["class", "function", "Object", "Float32Array", "Math", "number"]) {
      expect(
        diagnose(`model ${name} {\n  input x: [4]\n  y = x |> relu\n}`).map((d) => d.code),
        name,
      ).toEqual(["CNN2006"]);
    }
    expect(diagnose("model LeNet {\n  input x: [4]\n  y = x |> relu\n}")).toEqual([]);
  });
});
