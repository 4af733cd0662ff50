// Weights and gradients in and out, in Keras layouts and declaration order. The parameters are
// one contiguous block in the arena, in exactly that order, so these are slices.
import type { MethodDeclarationStructure, OptionalKind } from "ts-morph";
import { copyOut, num, stored } from "../code.js";
import type { ModelContext } from "../context.js";
import { parameterTable } from "./meta.js";

type Method = OptionalKind<MethodDeclarationStructure>;

const listOf = (array: string): string => `{ name: string; shape: number[]; data: ${array} }[]`;

function slices(ctx: ModelContext, base: number): string {
  return `const out: ${listOf(ctx.array)} = [];
    let at = ${num(base)};
    for (const p of ${parameterTable(ctx)}) {
      const size = p.shape.reduce((x: number, y: number) => x * y, 1);
      out.push({ name: p.name, shape: [...p.shape], data: ${copyOut(ctx, "this.a", "at", "at + size")} });
      at += size;
    }
    return out;`;
}

export function weightMethods(ctx: ModelContext): Method[] {
  const plan = ctx.graph.plan;
  const methods: Method[] = [
    {
      name: "getWeights",
      docs: ["Copies of every parameter: name, Keras-layout shape and values, in declaration order."],
      returnType: listOf(ctx.array),
      statements: slices(ctx, plan.paramOffset),
    },
    {
      name: "setWeights",
      docs: ["Replaces every parameter. Validates names, shapes, lengths and values first; writes nothing unless all are valid."],
      parameters: [{ name: "list", type: "readonly { name: string; shape: readonly number[]; data: ArrayLike<number> }[]" }],
      returnType: "void",
      statements: setWeightsBody(ctx),
    },
  ];
  if (ctx.train)
    methods.push({
      name: "getGradients",
      docs: ["Copies of the gradients of the last computeGradients/trainBatch, in getWeights() order and layouts."],
      returnType: listOf(ctx.array),
      statements: slices(ctx, ctx.train.grads.offset),
    });
  return methods;
}

function setWeightsBody(ctx: ModelContext): string {
  const where = JSON.stringify(`${ctx.className}.setWeights`);
  return `const where = ${where};
    if (!Array.isArray(list)) throw new TypeError(\`\${where}: expected an array of { name, shape, data }\`);
    const specs = ${parameterTable(ctx)};
    const byName = new Map<string, { name: string; shape: readonly number[]; data: ArrayLike<number> }>();
    for (const w of list) {
      if (w == null || typeof w.name !== "string") throw new TypeError(\`\${where}: every entry needs a string name\`);
      if (byName.has(w.name)) throw new Error(\`\${where}: weight '\${w.name}' is given twice\`);
      if (!specs.some((p) => p.name === w.name)) throw new Error(\`\${where}: unexpected weight '\${w.name}'; the model's weights are \${specs.map((p) => p.name).join(", ")}\`);
      byName.set(w.name, w);
    }
    const writes: [number, ArrayLike<number>][] = [];
    let at = ${num(ctx.graph.plan.paramOffset)};
    for (const p of specs) {
      const w = byName.get(p.name);
      if (w === undefined) throw new Error(\`\${where}: missing weight '\${p.name}'\`);
      const shape = Array.from(w.shape ?? []);
      if (shape.length !== p.shape.length || shape.some((d, i) => d !== p.shape[i]))
        throw new Error(\`\${where}: weight '\${p.name}' has shape [\${shape.join(", ")}], expected [\${p.shape.join(", ")}]\`);
      const size = p.shape.reduce((x: number, y: number) => x * y, 1);
      if (w.data == null || w.data.length !== size) throw new Error(\`\${where}: weight '\${p.name}' has \${w.data?.length} values, expected \${size}\`);
      for (let i = 0; i < size; i++) {
        if (!Number.isFinite(w.data[i])) throw new Error(\`\${where}: weight '\${p.name}' has a non-finite value \${w.data[i]} at index \${i}\`);
      }
      writes.push([at, w.data]);
      at += size;
    }
    for (const [offset, data] of writes) {
      for (let i = 0; i < data.length; i++) this.a[offset + i] = ${stored(ctx, "data[i]!")};
    }${ctx.graph.plan.folded.size > 0 ? "\n    this.foldedStale = true;" : ""}`;
}
