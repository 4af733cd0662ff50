// One optimizer step over all parameters at once: they are contiguous in the arena, and so are
// their gradients and the optimizer state, so each update is a single loop.
//   SGD (PyTorch / tf.train.momentum form): v = mu v + g; w -= lr v   (Nesterov: w -= lr (g + mu v))
//   Adam (PyTorch / tf.train.adam form): w -= lr m^ / (sqrt(v^) + eps)
//   weight decay is decoupled, as in Keras: w -= lr wd w
//   clip_norm scales the gradient by min(1, clip / ||g||) over all parameters.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { OptimizerSpec } from "../../check/types.js";
import { num } from "../code.js";
import type { ModelContext } from "../context.js";

export function stepMethod(ctx: ModelContext): OptionalKind<MethodDeclarationStructure> {
  const opt = ctx.graph.train!.optimizer;
  const plan = ctx.graph.plan!;
  const P = ctx.graph.paramCount;
  const W = plan.paramOffset;
  const G = plan.gradOffset!;
  const clip = opt.clipNorm === null ? "" : clipCode(G, P, opt.clipNorm);
  const g = opt.clipNorm === null ? `a[${num(G)} + i]` : `a[${num(G)} + i] * c`;
  const decay = opt.weightDecay > 0 ? `a[${num(W)} + i] -= lr * ${num(opt.weightDecay)} * a[${num(W)} + i];` : "";
  return {
    name: "step",
    scope: Scope.Private,
    returnType: "void",
    statements: `const a = this.a;
      const lr = ${learningRate(opt)};
      this.stepCount++;
      ${clip}
      ${opt.kind === "sgd" ? sgd(opt, ctx, g, decay) : adam(opt, ctx, g, decay)}`,
  };
}

function learningRate(opt: OptimizerSpec): string {
  const s = opt.schedule;
  switch (s.kind) {
    case "none":
      return "this.learningRate";
    // the schedule counts from setTrainingHorizon (each fit call), the step count (Adam's bias
    // correction) from construction or resetOptimizer
    case "step":
      return `this.learningRate * Math.pow(${num(s.gamma)}, Math.floor((this.stepCount - this.scheduleStart) / ${num(s.every)}))`;
    case "cosine":
      return "this.learningRate * 0.5 * (1 + Math.cos((Math.PI * Math.min(this.stepCount - this.scheduleStart, this.horizon)) / this.horizon))";
  }
}

function clipCode(G: number, P: number, clipNorm: number): string {
  return `let sq = 0;
    for (let i = 0; i < ${num(P)}; i++) { const g = a[${num(G)} + i]; sq += g * g; }
    const norm = Math.sqrt(sq);
    const c = norm > ${num(clipNorm)} ? ${num(clipNorm)} / norm : 1;`;
}

function sgd(opt: Extract<OptimizerSpec, { kind: "sgd" }>, ctx: ModelContext, g: string, decay: string): string {
  const P = ctx.graph.paramCount;
  const W = ctx.graph.plan!.paramOffset;
  if (opt.momentum === 0) return `for (let i = 0; i < ${num(P)}; i++) { ${decay} a[${num(W)} + i] -= lr * ${g}; }`;
  const V = ctx.graph.plan!.stateOffsets[0]!;
  const update = opt.nesterov ? `lr * (g + ${num(opt.momentum)} * v)` : "lr * v";
  return `for (let i = 0; i < ${num(P)}; i++) {
    const g = ${g};
    const v = ${num(opt.momentum)} * a[${num(V)} + i] + g;
    a[${num(V)} + i] = v;
    ${decay}
    a[${num(W)} + i] -= ${update};
  }`;
}

function adam(opt: Extract<OptimizerSpec, { kind: "adam" }>, ctx: ModelContext, g: string, decay: string): string {
  const P = ctx.graph.paramCount;
  const W = ctx.graph.plan!.paramOffset;
  const [M, V] = ctx.graph.plan!.stateOffsets as [number, number];
  return `const bc1 = 1 - Math.pow(${num(opt.beta1)}, this.stepCount);
    const bc2 = 1 - Math.pow(${num(opt.beta2)}, this.stepCount);
    for (let i = 0; i < ${num(P)}; i++) {
      const g = ${g};
      const m = ${num(opt.beta1)} * a[${num(M)} + i] + ${num(1 - opt.beta1)} * g;
      const v = ${num(opt.beta2)} * a[${num(V)} + i] + ${num(1 - opt.beta2)} * g * g;
      a[${num(M)} + i] = m;
      a[${num(V)} + i] = v;
      ${decay}
      a[${num(W)} + i] -= (lr * (m / bc1)) / (Math.sqrt(v / bc2) + ${num(opt.eps)});
    }`;
}
