// Training entry points: computeGradients (loss and gradients, weights untouched), trainBatch
// (that plus one optimizer step), evaluate, and the per-sample loss.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import { num } from "../code.js";
import type { ModelContext } from "../context.js";
import { hitsBody, lossBody } from "../loss.js";
import { stepMethod } from "./optimizer.js";

type Method = OptionalKind<MethodDeclarationStructure>;

export function targetsType(ctx: ModelContext): string {
  return ctx.graph.train!.loss.kind === "softmax_cross_entropy"
    ? "Int32Array | Uint8Array | Float32Array | Float64Array"
    : "Float32Array | Float64Array";
}

export function trainMethods(ctx: ModelContext): Method[] {
  const train = ctx.graph.train!;
  const plan = ctx.graph.plan!;
  const P = ctx.graph.paramCount;
  const name = (m: string): string => JSON.stringify(`${ctx.className}.${m}`);
  const params = [
    { name: "xs", type: "ArrayLike<number>" },
    { name: "targets", type: targetsType(ctx) },
    { name: "n", type: "number" },
  ];
  const x = ctx.env.off(train.loss.input);
  const g = ctx.env.off(train.loss.dInput);
  const hits = hitsBody(train.loss, x, ctx.targetSize);
  const dIn = train.dInput === null ? null : ctx.env.off(train.dInput);
  const keepInputGrad =
    dIn === null
      ? ""
      : `if (s === 0 && this.inputGrads.length !== n * ${num(ctx.inputSize)}) this.inputGrads = new ${ctx.array}(n * ${num(ctx.inputSize)});
         this.inputGrads.set(a.subarray(${num(dIn)}, ${num(dIn + ctx.inputSize)}), s * ${num(ctx.inputSize)});`;
  const methods: Method[] = [
    {
      name: "trainBatch",
      docs: ["Forward, backward and one optimizer step over a minibatch of n; returns the mean loss."],
      parameters: params,
      returnType: "number",
      statements: `${train.optimizer.schedule.kind === "cosine" ? `if (this.horizon === 0) throw new Error(${JSON.stringify(`${ctx.className}.trainBatch: the cosine schedule needs the number of steps it spans: call setTrainingHorizon(steps) first, or train with fit()`)});` : ""}
        const loss = this.computeGradients(xs, targets, n);
        this.rng = this.rngWork;
        this.step();
        return loss;`,
    },
    {
      name: "computeGradients",
      docs: ["Mean loss over the batch; fills the gradients (mean over the batch), leaves the weights."],
      parameters: params,
      returnType: "number",
      statements: `this.checkInputs(${name("computeGradients")}, xs, n);
        this.checkTargets(${name("computeGradients")}, targets, n);
        const a = this.a;
        a.fill(0, ${num(plan.gradOffset!)}, ${num(plan.gradOffset! + P)});
        this.rngWork = this.rng;
        const scale = 1 / n;
        let loss = 0;
        ${hits ? "let hits = 0;" : ""}
        for (let s = 0; s < n; s++) {
          this.load(xs, s);
          this.runTrain(true);
          a.fill(0, ${num(plan.gradRegion.start)}, ${num(plan.gradRegion.end)});
          loss += this.loss(targets, s, scale);
          ${hits ? "hits += this.hits(targets, s);" : ""}
          this.runBackward();
          ${keepInputGrad}
        }
        ${hits ? "this.lastBatchHits = hits;" : ""}
        return loss / n;`,
    },
    {
      name: "evaluate",
      docs: [hits ? "Mean loss and accuracy over n samples, in inference mode (no dropout)." : "Mean loss over n samples, in inference mode (no dropout)."],
      parameters: params,
      returnType: hits ? "{ loss: number; accuracy: number }" : "{ loss: number }",
      statements: `this.checkInputs(${name("evaluate")}, xs, n);
        this.checkTargets(${name("evaluate")}, targets, n);
        let loss = 0; ${hits ? "let hits = 0;" : ""}
        for (let s = 0; s < n; s++) {
          this.load(xs, s);
          this.runTrain(false);
          loss += this.loss(targets, s, 0);
          ${hits ? "hits += this.hits(targets, s);" : ""}
        }
        return { loss: loss / n${hits ? ", accuracy: hits / n" : ""} };`,
    },
    {
      name: "setTrainingHorizon",
      docs: ["The number of optimizer steps a schedule such as cosine spans (fit() sets it)."],
      parameters: [{ name: "steps", type: "number" }],
      returnType: "void",
      statements: `if (!Number.isInteger(steps) || steps < 1) throw new RangeError(\`${ctx.className}.setTrainingHorizon: steps must be a positive integer, got \${steps}\`);
        ${train.optimizer.schedule.kind === "cosine" ? "this.horizon = steps;" : "// no schedule of this model reads the horizon"}`,
    },
    {
      name: "loss",
      scope: Scope.Private,
      docs: ["Loss of sample s; adds scale * its gradient unless scale is 0."],
      parameters: [{ name: "targets", type: targetsType(ctx) }, { name: "s", type: "number" }, { name: "scale", type: "number" }],
      returnType: "number",
      statements: `const a = this.a;\n${lossBody(train.loss, x, g, ctx.targetSize)}`,
    },
    checkTargets(ctx),
    stepMethod(ctx),
  ];
  if (hits)
    methods.push({
      name: "hits",
      scope: Scope.Private,
      parameters: [{ name: "targets", type: targetsType(ctx) }, { name: "s", type: "number" }],
      returnType: "number",
      statements: `const a = this.a;\n${hits}`,
    });
  if (dIn !== null)
    methods.push({
      name: "getInputGradients",
      docs: ["Gradient of the mean loss with respect to each input of the last computeGradients batch."],
      returnType: ctx.array,
      statements: "return this.inputGrads.slice();",
    });
  return methods;
}

function checkTargets(ctx: ModelContext): Method {
  const loss = ctx.graph.train!.loss.kind;
  const T = ctx.targetSize;
  const dense = `if (targets.length !== n * ${num(T)}) throw new RangeError(\`\${method}: expected \${n} x ${num(T)} = \${n * ${num(T)}} target values, got \${targets.length}\`);`;
  const labels =
    loss === "softmax_cross_entropy"
      ? `if (targets instanceof Int32Array || targets instanceof Uint8Array) {
          if (targets.length !== n) throw new RangeError(\`\${method}: expected \${n} class labels, got \${targets.length}\`);
          for (let i = 0; i < n; i++) {
            const t = targets[i]!;
            if (t < 0 || t >= ${num(T)}) throw new RangeError(\`\${method}: label \${t} at index \${i} is out of range: classes are 0 to ${num(T - 1)}\`);
          }
          return;
        }`
      : "";
  const kinds = loss === "softmax_cross_entropy" ? "Int32Array or Uint8Array class labels, or Float32Array/Float64Array" : "Float32Array or Float64Array";
  return {
    name: "checkTargets",
    scope: Scope.Private,
    parameters: [{ name: "method", type: "string" }, { name: "targets", type: targetsType(ctx) }, { name: "n", type: "number" }],
    returnType: "void",
    statements: `${labels}
      if (targets instanceof Float32Array || targets instanceof Float64Array) { ${dense} return; }
      throw new TypeError(\`\${method}: targets must be ${kinds} targets\`);`,
  };
}
