// Batch norms folded into the conv2d or dense layer before them when predicting: the layer's
// kernel and bias, scaled and shifted per channel, kept in scratch and refreshed before the
// first prediction after the weights or the moving statistics changed (setWeights, loadWeights,
// trainBatch and fit mark them stale). The prediction pass then has no batch-norm pass at all.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import { foldPairs } from "../../ir/batch.js";
import { ops } from "../../ops/index.js";
import type { ModelContext } from "../context.js";
import { kernelText } from "../kernel-text.js";

export function hasFolds(ctx: ModelContext): boolean {
  return ctx.graph.plan.folded.size > 0;
}

/** The statement predict and predictBatch start with: fold again if the weights changed. */
export function refreshFolds(ctx: ModelContext): string {
  return hasFolds(ctx) ? "if (this.foldedStale) this.foldWeights();\n" : "";
}

export function foldMethods(ctx: ModelContext): OptionalKind<MethodDeclarationStructure>[] {
  if (!hasFolds(ctx)) return [];
  const g = ctx.graph;
  const kernel = foldPairs(g).flatMap(({ norm, producer }) => {
    const node = g.nodes[norm]!;
    const layer = g.nodes[producer]!;
    return ops[node.layer.op].lower.batch!.kernel.fold(node, layer, ctx.env, ctx.regions.folded(layer)!, ops[layer.layer.op].lower.foldsChannelScale!);
  });
  return [
    {
      name: "foldWeights",
      scope: Scope.Private,
      docs: ["Folds each batch norm into the weights of the layer before it, for predicting."],
      returnType: "void",
      statements: `${kernelText(ctx, kernel)}
        this.foldedStale = false;`,
    },
  ];
}
