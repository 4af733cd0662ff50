// One optimizer step over all parameters at once: they are contiguous in the arena, and so are
// their gradients and the optimizer state, so each update is a single loop.
//   SGD (PyTorch / tf.train.momentum form): v = mu v + g; w -= lr v   (Nesterov: w -= lr (g + mu v))
//   Adam (PyTorch / tf.train.adam form): w -= lr m^ / (sqrt(v^) + eps)
//   weight decay is decoupled, as in Keras: w -= lr wd w
//   clip_norm scales the gradient by min(1, clip / ||g||) over all parameters.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { OptimizerSpec } from "../../check/types.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { literal } from "../../kernel/print/ts.js";
import type { ModelContext, TrainContext } from "../context.js";
import { kernelText } from "../kernel-text.js";
import { forTrainable } from "./trainable.js";

export function stepMethod(ctx: ModelContext, train: TrainContext): OptionalKind<MethodDeclarationStructure> {
  const opt = train.graph.optimizer;
  const W = ctx.regions.weights;
  const G = train.grads;
  const lr = b.ref("lr");
  const grad = (i: Expr): Expr => (opt.clipNorm === null ? b.at(G, i) : b.mul(b.at(G, i), b.ref("c")));
  const decay = (i: Expr): Stmt[] => (opt.weightDecay > 0 ? [b.put(W, i, b.mul(b.mul(lr, opt.weightDecay), b.at(W, i)), "-=")] : []);
  const update = opt.kind === "sgd" ? sgd(opt, ctx, W, grad, decay) : adam(opt, ctx, W, grad, decay);
  const clip = opt.clipNorm === null ? [] : clipNorm(G, opt.clipNorm);
  return {
    name: "step",
    scope: Scope.Private,
    returnType: "void",
    statements: `const lr = ${learningRate(opt)};
      this.stepCount++;
      ${opt.kind === "adam" ? `const bc1 = 1 - Math.pow(${literal(opt.beta1)}, this.stepCount);
      const bc2 = 1 - Math.pow(${literal(opt.beta2)}, this.stepCount);` : ""}
      ${kernelText(ctx, [...clip, ...update])}`,
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
      return `this.learningRate * Math.pow(${literal(s.gamma)}, Math.floor((this.stepCount - this.scheduleStart) / ${literal(s.every)}))`;
    case "cosine":
      return "this.learningRate * 0.5 * (1 + Math.cos((Math.PI * Math.min(this.stepCount - this.scheduleStart, this.horizon)) / this.horizon))";
  }
}

function clipNorm(G: Region, clip: number): Stmt[] {
  return [
    b.note(`c = min(1, ${clip} / ||g||) over every gradient`),
    b.let("sq", 0),
    b.for("i", G.size, (i) => [b.const("g", b.at(G, i)), b.assign("sq", b.mul(b.ref("g"), b.ref("g")), "+=")]),
    b.const("norm", b.math("sqrt", b.ref("sq"))),
    b.const("c", b.select(b.gt(b.ref("norm"), clip), b.div(clip, b.ref("norm")), 1)),
  ];
}

type Update = (i: Expr) => Stmt[];

function sgd(opt: Extract<OptimizerSpec, { kind: "sgd" }>, ctx: ModelContext, W: Region, grad: (i: Expr) => Expr, decay: Update): Stmt[] {
  const lr = b.ref("lr");
  if (opt.momentum === 0) return [b.note("w -= lr g"), ...forTrainable(ctx.graph.params, (i) => [...decay(i), b.put(W, i, b.mul(lr, grad(i)), "-=")])];
  const V = ctx.regions.state[0]!;
  const v = b.ref("v");
  const step = opt.nesterov ? b.mul(lr, b.add(b.ref("g"), b.mul(opt.momentum, v))) : b.mul(lr, v);
  return [
    b.note(opt.nesterov ? "v = mu v + g; w -= lr (g + mu v)" : "v = mu v + g; w -= lr v"),
    ...forTrainable(ctx.graph.params, (i) => [
      b.const("g", grad(i)),
      b.const("v", b.add(b.mul(opt.momentum, b.at(V, i)), b.ref("g"))),
      b.put(V, i, v),
      ...decay(i),
      b.put(W, i, step, "-="),
    ]),
  ];
}

function adam(opt: Extract<OptimizerSpec, { kind: "adam" }>, ctx: ModelContext, W: Region, grad: (i: Expr) => Expr, decay: Update): Stmt[] {
  const [M, V] = ctx.regions.state as [Region, Region];
  const g = b.ref("g");
  return [
    b.note("m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr (m / bc1) / (sqrt(v / bc2) + eps)"),
    ...forTrainable(ctx.graph.params, (i) => [
      b.const("g", grad(i)),
      b.const("m", b.add(b.mul(opt.beta1, b.at(M, i)), b.mul(1 - opt.beta1, g))),
      b.const("v", b.add(b.mul(opt.beta2, b.at(V, i)), b.mul(b.mul(1 - opt.beta2, g), g))),
      b.put(M, i, b.ref("m")),
      b.put(V, i, b.ref("v")),
      ...decay(i),
      b.put(W, i, b.div(b.mul(b.ref("lr"), b.div(b.ref("m"), b.ref("bc1"))), b.add(b.math("sqrt", b.div(b.ref("v"), b.ref("bc2"))), opt.eps)), "-="),
    ]),
  ];
}
