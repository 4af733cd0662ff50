// The per-sample passes: each forward or backward node's kernel code, in order, under a
// comment naming the layer and its source line.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { ForwardNode } from "../../ir/graph.js";
import type { ModelContext } from "../context.js";
import { kernels } from "../kernels/index.js";
import type { Mode } from "../kernels/types.js";

const prologue = (ctx: ModelContext): string =>
  ctx.graph.plan!.indexSize > 0 ? "const a = this.a; const arg = this.ix;" : "const a = this.a;";

function describe(ctx: ModelContext, node: ForwardNode, what: string): string {
  const from = node.inputs.map((v) => `[${ctx.env.shape(v).join(", ")}]`).join(", ");
  const fused = node.fused ? ` + ${node.fused.activation.op}` : "";
  return `// ${what}${node.layer.name}: ${node.layer.op}${fused} ${from} -> [${ctx.env.shape(node.output).join(", ")}] (line ${ctx.line(node)})`;
}

function forwardCode(ctx: ModelContext, ids: readonly number[], mode: Mode): string {
  return ids
    .map((id) => {
      const node = ctx.graph.nodes[id]!;
      const code = kernels[node.layer.op].forward(node, ctx.env, mode);
      const note = node.layer.op === "flatten" ? "// no code: the output aliases the input's storage\n" : "";
      return `${describe(ctx, node, "")}\n${note}${code}`;
    })
    .join("\n\n");
}

export function runMethods(ctx: ModelContext): OptionalKind<MethodDeclarationStructure>[] {
  const methods: OptionalKind<MethodDeclarationStructure>[] = [
    {
      name: "runInfer",
      scope: Scope.Private,
      docs: ["Forward pass of the sample in the input slot, up to the output (inference mode)."],
      returnType: "void",
      statements: `${prologue(ctx)}\n${forwardCode(ctx, ctx.graph.inferNodes, "infer")}`,
    },
  ];
  const train = ctx.graph.train;
  if (!train) return methods;
  methods.push(
    {
      name: "runTrain",
      scope: Scope.Private,
      docs: ["Forward pass up to what the loss reads; dropout is active when `training`."],
      parameters: [{ name: "training", type: "boolean" }],
      returnType: "void",
      statements: `${prologue(ctx)}\n${forwardCode(ctx, train.nodes, "train")}\nvoid training;`,
    },
    {
      name: "runBackward",
      scope: Scope.Private,
      docs: ["Backward pass: from the loss's gradient to every parameter gradient (accumulated)."],
      returnType: "void",
      statements: `${prologue(ctx)}\n${train.backward
        .map((b) => {
          const node = ctx.graph.nodes[b.node]!;
          const code = kernels[node.layer.op].backward(node, b, ctx.env);
          return `${describe(ctx, node, "backward of ")}\n${code || "// no code: the gradient aliases the input's gradient"}`;
        })
        .join("\n\n")}`,
    },
  );
  return methods;
}
