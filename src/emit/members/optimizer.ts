// One optimizer step over the trainable parameters: they are contiguous in the arena (a frozen
// layer's and batch-norm state interrupt them), and so are their gradients and the optimizer
// state (one value per trainable parameter value), so each update is a single loop per run of
// trainable parameters.
//   SGD (PyTorch / tf.train.momentum form): v = mu v + g; w -= lr v   (Nesterov: w -= lr (g + mu v))
//   Adam (PyTorch / tf.train.adam form): w -= lr m^ / (sqrt(v^) + eps)
//   RMSprop (PyTorch's form): v = rho v + (1 - rho) g^2 (centred: less mg^2, mg = rho mg +
//     (1 - rho) g); b = mu b + g / (sqrt(v) + eps); w -= lr b (without momentum: w -= lr g / ...)
//   weight decay is decoupled, as in Keras: w -= lr wd w, on every trainable parameter
//   clip_norm scales the gradient by min(1, clip / ||g||) over all parameters.
// On the wasm target's f32 builds (KernelEnv.lanes 4) each run is stepped four values at a time in
// f32x4 (the formulas lane by lane, scalars splatted), the last run length % 4 values as scalars:
// the step is elementwise, so its only cost is memory traffic and a vector moves four values.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { OptimizerSpec } from "../../check/types.js";
import type { ParamInfo } from "../../ir/graph.js";
import { b } from "../../kernel/build.js";
import type { Expr, Region, Stmt } from "../../kernel/ir.js";
import { literal } from "../../kernel/print/ts.js";
import type { ModelContext, TrainContext } from "../context.js";
import { kernelText } from "../kernel-text.js";

/** The update of one parameter value, or of `lanes` neighbouring ones as a vector: w[i] from g[i]
 *  and the state at s (the value's place in the state blocks, which hold trainable parameters
 *  only). */
type Update = (i: Expr, s: Expr, lanes: number) => Stmt[];

export function stepMethod(ctx: ModelContext, train: TrainContext): OptionalKind<MethodDeclarationStructure> {
  const opt = train.graph.optimizer;
  const W = ctx.regions.weights;
  const G = train.grads;
  const lr = b.ref("lr");
  const grad = (i: Expr, lanes: number): Expr => (opt.clipNorm === null ? b.at(G, i, lanes) : b.mul(b.at(G, i, lanes), b.ref("c")));
  const decay = (i: Expr, lanes: number): Stmt[] => (opt.weightDecay > 0 ? [b.put(W, i, b.mul(b.mul(lr, opt.weightDecay), b.at(W, i, lanes)), "-=", lanes)] : []);
  const [note, update] = rule(opt, ctx, W, grad, decay);
  const clip = opt.clipNorm === null ? [] : clipNorm(G, opt.clipNorm);
  return {
    name: "step",
    scope: Scope.Private,
    returnType: "void",
    statements: `const lr = ${learningRate(opt)};
      this.stepCount++;
      ${opt.kind === "adam" ? `const bc1 = 1 - Math.pow(${literal(opt.beta1)}, this.stepCount);
      const bc2 = 1 - Math.pow(${literal(opt.beta2)}, this.stepCount);` : ""}
      ${kernelText(ctx, [...clip, b.note(note), ...loops(ctx.graph.params, update, ctx.env.lanes)])}`,
  };
}

/** One loop per run of trainable parameters (a model with none frozen has one loop over all), in
 *  steps of `lanes` values, the last length % lanes values one by one. */
function loops(params: readonly ParamInfo[], update: Update, lanes: 1 | 4): Stmt[] {
  const runs: { start: number; end: number; state: number }[] = [];
  let state = 0;
  for (const p of params) {
    if (!p.trainable) continue;
    const last = runs[runs.length - 1];
    if (last && last.end === p.offset) last.end += p.size;
    else runs.push({ start: p.offset, end: p.offset + p.size, state });
    state += p.size;
  }
  const at = (run: (typeof runs)[number], i: Expr): Expr => (run.state === run.start ? i : b.add(i, run.state - run.start));
  return runs.flatMap((run) => {
    const vectorEnd = run.end - ((run.end - run.start) % lanes);
    const start = run.start === 0 ? {} : { start: run.start };
    if (lanes === 1) return [b.for("i", run.end, (i) => update(i, at(run, i), 1), start)];
    return [
      ...(vectorEnd === run.start ? [] : [b.for("i", vectorEnd, (i) => update(i, at(run, i), lanes), { ...start, step: lanes })]),
      ...(vectorEnd === run.end ? [] : [b.for("i", run.end, (i) => update(i, at(run, i), 1), { start: vectorEnd })]),
    ];
  });
}

type Grad = (i: Expr, lanes: number) => Expr;
type Decay = (i: Expr, lanes: number) => Stmt[];

function rule(opt: OptimizerSpec, ctx: ModelContext, W: Region, grad: Grad, decay: Decay): [string, Update] {
  switch (opt.kind) {
    case "sgd":
      return sgd(opt, ctx, W, grad, decay);
    case "adam":
      return adam(opt, ctx, W, grad, decay);
    case "rmsprop":
      return rmsprop(opt, ctx, W, grad, decay);
  }
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

function sgd(opt: Extract<OptimizerSpec, { kind: "sgd" }>, ctx: ModelContext, W: Region, grad: Grad, decay: Decay): [string, Update] {
  const lr = b.ref("lr");
  if (opt.momentum === 0) return ["w -= lr g", (i, _s, lanes) => [...decay(i, lanes), b.put(W, i, b.mul(lr, grad(i, lanes)), "-=", lanes)]];
  const V = ctx.regions.state[0]!;
  const v = b.ref("v");
  const step = opt.nesterov ? b.mul(lr, b.add(b.ref("g"), b.mul(opt.momentum, v))) : b.mul(lr, v);
  return [
    opt.nesterov ? "v = mu v + g; w -= lr (g + mu v)" : "v = mu v + g; w -= lr v",
    (i, s, lanes) => [
      b.const("g", grad(i, lanes)),
      b.const("v", b.add(b.mul(opt.momentum, b.at(V, s, lanes)), b.ref("g"))),
      b.put(V, s, v, "=", lanes),
      ...decay(i, lanes),
      b.put(W, i, step, "-=", lanes),
    ],
  ];
}

function adam(opt: Extract<OptimizerSpec, { kind: "adam" }>, ctx: ModelContext, W: Region, grad: Grad, decay: Decay): [string, Update] {
  const [M, V] = ctx.regions.state as [Region, Region];
  const g = b.ref("g");
  return [
    "m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; w -= lr (m / bc1) / (sqrt(v / bc2) + eps)",
    (i, s, lanes) => [
      b.const("g", grad(i, lanes)),
      b.const("m", b.add(b.mul(opt.beta1, b.at(M, s, lanes)), b.mul(1 - opt.beta1, g))),
      b.const("v", b.add(b.mul(opt.beta2, b.at(V, s, lanes)), b.mul(b.mul(1 - opt.beta2, g), g))),
      b.put(M, s, b.ref("m"), "=", lanes),
      b.put(V, s, b.ref("v"), "=", lanes),
      ...decay(i, lanes),
      b.put(W, i, b.div(b.mul(b.ref("lr"), b.div(b.ref("m"), b.ref("bc1"))), b.add(b.math("sqrt", b.div(b.ref("v"), b.ref("bc2"))), opt.eps)), "-=", lanes),
    ],
  ];
}

function rmsprop(opt: Extract<OptimizerSpec, { kind: "rmsprop" }>, ctx: ModelContext, W: Region, grad: Grad, decay: Decay): [string, Update] {
  const [V, ...rest] = ctx.regions.state as [Region, ...Region[]];
  const MG = opt.centered ? rest[0]! : null;
  const B = opt.momentum > 0 ? rest[rest.length - 1]! : null;
  const g = b.ref("g");
  const lr = b.ref("lr");
  // sqrt(v) + eps, or sqrt(v - mg^2) + eps when centred
  const denominator = b.add(b.math("sqrt", MG === null ? b.ref("v") : b.sub(b.ref("v"), b.mul(b.ref("mg"), b.ref("mg")))), opt.eps);
  const note = [
    "v = rho v + (1 - rho) g^2",
    ...(MG === null ? [] : ["mg = rho mg + (1 - rho) g"]),
    B === null ? `w -= lr g / (sqrt(${MG === null ? "v" : "v - mg^2"}) + eps)` : `b = mu b + g / (sqrt(${MG === null ? "v" : "v - mg^2"}) + eps); w -= lr b`,
  ].join("; ");
  return [
    note,
    (i, s, lanes) => [
      b.const("g", grad(i, lanes)),
      b.const("v", b.add(b.mul(opt.rho, b.at(V, s, lanes)), b.mul(b.mul(1 - opt.rho, g), g))),
      b.put(V, s, b.ref("v"), "=", lanes),
      ...(MG === null ? [] : [b.const("mg", b.add(b.mul(opt.rho, b.at(MG, s, lanes)), b.mul(1 - opt.rho, g))), b.put(MG, s, b.ref("mg"), "=", lanes)]),
      ...(B === null
        ? [...decay(i, lanes), b.put(W, i, b.div(b.mul(lr, g), denominator), "-=", lanes)]
        : [b.const("m", b.add(b.mul(opt.momentum, b.at(B, s, lanes)), b.div(g, denominator))), b.put(B, s, b.ref("m"), "=", lanes), ...decay(i, lanes), b.put(W, i, b.mul(lr, b.ref("m")), "-=", lanes)]),
    ],
  ];
}
