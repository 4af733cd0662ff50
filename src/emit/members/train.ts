// Training entry points: computeGradients (loss and gradients, weights untouched), trainBatch
// (that plus one optimizer step), evaluate, and the per-sample loss.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import { num } from "../code.js";
import type { ModelContext, TrainContext } from "../context.js";
import { hitsKernel, lossKernel } from "../loss.js";
import { kernelText } from "../kernel-text.js";
import { stepMethod } from "./optimizer.js";
import { hasFolds } from "./fold.js";
import { layerMajor, loadArgs, sampleArgs, sampleKernel, sampleParams, type SampleKernel } from "../sample.js";
import { runsOnBatch } from "../../ir/batch.js";
import { ops } from "../../ops/index.js";
import { hasBatchBlock } from "./run.js";
import { PAGE, SET_INDEX_BASE, SLACK } from "../wasm/build.js";

type Method = OptionalKind<MethodDeclarationStructure>;

export function targetsType(train: TrainContext): string {
  return train.graph.loss.kind === "softmax_cross_entropy"
    ? "Int32Array | Uint8Array | Float32Array | Float64Array"
    : "Float32Array | Float64Array";
}

export function trainMethods(ctx: ModelContext, t: TrainContext): Method[] {
  const train = t.graph;
  const plan = ctx.graph.plan;
  const P = ctx.graph.paramCount;
  const name = (m: string): string => JSON.stringify(`${ctx.className}.${m}`);
  const params = [
    { name: "xs", type: "ArrayLike<number>" },
    { name: "targets", type: targetsType(t) },
    { name: "n", type: "number" },
  ];
  const x = ctx.regions.value(train.loss.input);
  const g = ctx.regions.value(train.loss.dInput);
  const hits = hitsKernel(train.loss, x);
  const lossK = sampleKernel(ctx, lossKernel(train.loss, x, g), ["s"]);
  const hitsK = hits ? sampleKernel(ctx, hits, ["s"]) : undefined;
  // Class labels or one target per output: the softmax cross-entropy kernels read `dense`.
  const dense = train.loss.kind === "softmax_cross_entropy" ? "const dense = targets instanceof Float32Array || targets instanceof Float64Array;\n" : "";
  const dIn = train.dInput === null ? null : ctx.regions.value(train.dInput).offset;
  const keepInputGrad =
    dIn === null
      ? ""
      : `if (s === 0 && this.inputGrads.length !== n * ${num(ctx.inputSize)}) this.inputGrads = new ${ctx.array}(n * ${num(ctx.inputSize)});
         this.inputGrads.set(a.subarray(${num(dIn)}, ${num(dIn + ctx.inputSize)}), s * ${num(ctx.inputSize)});`;
  // The batch block (hasBatchBlock): sample s goes backward into slot s mod B, and each full
  // block's products run as it fills, the last partial block's after the loop.
  const B = plan.batchBlock.samples;
  const block = hasBatchBlock(ctx)
    ? { start: "let slot = 0;\n", each: `if (++slot === ${B}) {\n this.blockProducts(${B});\n slot = 0;\n }`, end: "if (slot > 0) this.blockProducts(slot);\n", arg: "slot" }
    : { start: "", each: "", end: "", arg: "" };
  const methods: Method[] = [
    {
      name: "trainBatch",
      docs: ["Forward, backward and one optimizer step over a minibatch of n; returns the mean loss."],
      parameters: params,
      returnType: "number",
      statements: `${train.optimizer.schedule.kind === "cosine" ? `if (this.horizon === 0) throw new Error(${JSON.stringify(`${ctx.className}.trainBatch: the cosine schedule needs the number of steps it spans: call setTrainingHorizon(steps) first, or train with fit()`)});` : ""}
        // learningRate is a public field: a NaN or a negative rate would corrupt every weight in one step
        if (!Number.isFinite(this.learningRate) || this.learningRate < 0) throw new RangeError(\`${ctx.className}.trainBatch: learningRate must be a finite number >= 0, got \${this.learningRate}\`);
        const loss = this.computeGradients(xs, targets, n);
        this.rng = this.rngWork;
        this.step();${layerMajor(ctx) ? "\n        this.updateStatistics();" : ""}${hasFolds(ctx) ? "\n        this.foldedStale = true;" : ""}
        return loss;`,
    },
    layerMajor(ctx) ? layerMajorGradients(ctx, t, lossK, hitsK) : {
      name: "computeGradients",
      docs: ["Mean loss over the batch; fills the gradients (mean over the batch), leaves the weights."],
      parameters: params,
      returnType: "number",
      statements: `this.checkInputs(${name("computeGradients")}, xs, n);
        this.checkFiniteInputs(${name("computeGradients")}, xs);
        this.checkTargets(${name("computeGradients")}, targets, n);
        const a = this.a;
        a.fill(0, ${num(t.grads.offset)}, ${num(t.grads.offset + P)});
        this.rngWork = this.rng;
        const scale = 1 / n;
        let loss = 0;
        ${hits ? "let hits = 0;" : ""}
        ${block.start}for (let s = 0; s < n; s++) {
          this.load(xs, s);
          this.runTrain(true);
          a.fill(0, ${num(plan.gradRegion.start)}, ${num(plan.gradRegion.end)});
          loss += this.loss(targets, s, scale);
          ${hits ? "hits += this.hits(targets, s);" : ""}
          this.runBackward(${block.arg});
          ${[keepInputGrad, block.each].filter((t) => t !== "").join("\n")}
        }
        ${block.end}${hits ? "this.lastBatchHits = hits;" : ""}
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
          this.load(${["xs", "s", ...loadArgs(ctx)].join(", ")});
          this.runTrain(false);
          loss += this.loss(${["targets", "s", "0", ...sampleArgs(ctx, lossK, "0")].join(", ")});
          ${hits ? `hits += this.hits(${["targets", "s", ...sampleArgs(ctx, hitsK!, "0")].join(", ")});` : ""}
        }
        return { loss: loss / n${hits ? ", accuracy: hits / n" : ""} };`,
    },
    {
      name: "setTrainingHorizon",
      docs: ["The schedule (cosine, step) starts again and spans the next `steps` optimizer steps; each fit() call sets it for its own steps."],
      parameters: [{ name: "steps", type: "number" }],
      returnType: "void",
      statements: `if (!Number.isInteger(steps) || steps < 1) throw new RangeError(\`${ctx.className}.setTrainingHorizon: steps must be a positive integer, got \${steps}\`);
        ${scheduleFields(train.optimizer.schedule.kind, "steps", "this.stepCount")}`,
    },
    {
      name: "resetOptimizer",
      docs: ["Forgets the optimizer's state (momentum or Adam's moments, the step count, the schedule): the next step is a fresh optimizer's first. The weights stay."],
      returnType: "void",
      statements: `${ctx.graph.plan.stateOffsets.map((o) => `this.a.fill(0, ${num(o)}, ${num(o + ctx.graph.plan.stateSize)});`).join("\n")}
        this.stepCount = 0;
        ${scheduleFields(train.optimizer.schedule.kind, "0", "0")}`,
    },
    checkFiniteInputs(ctx),
    {
      name: "loss",
      scope: Scope.Private,
      docs: ["Loss of sample s; adds scale * its gradient unless scale is 0."],
      parameters: [{ name: "targets", type: targetsType(t) }, { name: "s", type: "number" }, { name: "scale", type: "number" }, ...sampleParams(lossK)],
      returnType: "number",
      statements: dense + lossK.text,
    },
    checkTargets(ctx, t),
    stepMethod(ctx, t),
    ...(layerMajor(ctx) ? [updateStatistics(ctx), reserveMethod(ctx)] : []),
  ];
  if (hits)
    methods.push({
      name: "hits",
      scope: Scope.Private,
      parameters: [{ name: "targets", type: targetsType(t) }, { name: "s", type: "number" }, ...sampleParams(hitsK!)],
      returnType: "number",
      statements: dense + hitsK!.text,
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

// One pass over the batch, before anything runs: a NaN in a training input would reach every
// weight through the gradients, silently. predict and evaluate skip it (README).
/** Sets the fields a schedule reads: its start (any schedule) and span (cosine). A model
 *  without a schedule has neither field (a strict project rejects a field never read). */
function scheduleFields(kind: "none" | "step" | "cosine", horizon: string, start: string): string {
  if (kind === "none") return "// no schedule: nothing reads a horizon";
  return `this.scheduleStart = ${start};${kind === "cosine" ? ` this.horizon = ${horizon};` : ""}`;
}

function checkFiniteInputs(ctx: ModelContext): Method {
  const size = num(ctx.inputSize);
  return {
    name: "checkFiniteInputs",
    scope: Scope.Private,
    parameters: [{ name: "method", type: "string" }, { name: "xs", type: "ArrayLike<number>" }],
    returnType: "void",
    statements: `for (let i = 0; i < xs.length; i++) {
        const v = xs[i]!;
        if (!Number.isFinite(v)) throw new RangeError(\`\${method}: input value \${v} of sample \${Math.floor(i / ${size})} at index \${i % ${size}} is not finite\`);
      }`,
  };
}

// What a dense target value must be: a probability for binary cross-entropy, finite otherwise.
function targetValueCheck(loss: string): string {
  const [test, what] =
    loss === "binary_cross_entropy" ? ["!(v >= 0 && v <= 1)", "is not in [0, 1] (binary_cross_entropy targets are probabilities)"] : ["!Number.isFinite(v)", "is not finite"];
  return `for (let i = 0; i < targets.length; i++) {
      const v = targets[i]!;
      if (${test}) throw new RangeError(\`\${method}: target \${v} at index \${i} ${what}\`);
    }`;
}

function checkTargets(ctx: ModelContext, t: TrainContext): Method {
  const loss = t.graph.loss.kind;
  const T = ctx.targetSize;
  // n class indices in a float array is the usual slip: say where they go
  const hint = loss === "softmax_cross_entropy" && T > 1 ? `\${targets.length === n ? "; class indices go in an Int32Array or Uint8Array" : ""}` : "";
  const dense = `if (targets.length !== n * ${num(T)}) throw new RangeError(\`\${method}: expected \${n} x ${num(T)} = \${n * ${num(T)}} target values, got \${targets.length}${hint}\`);
    ${targetValueCheck(loss)}`;
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
    parameters: [{ name: "method", type: "string" }, { name: "targets", type: targetsType(t) }, { name: "n", type: "number" }],
    returnType: "void",
    statements: `${labels}
      if (targets instanceof Float32Array || targets instanceof Float64Array) { ${dense} return; }
      throw new TypeError(\`\${method}: targets must be ${kinds} targets\`);`,
  };
}

/** computeGradients of a layer-major model: every sample loaded into its own copy of the
 *  per-sample buffers, then each layer over the whole batch, the loss per sample, and each
 *  layer's backward over the whole batch. Only the moving statistics' inputs (the batch
 *  statistics, in scratch) are left behind: trainBatch applies them. */
function layerMajorGradients(ctx: ModelContext, t: TrainContext, lossK: SampleKernel, hitsK: SampleKernel | undefined): Method {
  const train = t.graph;
  const plan = ctx.graph.plan;
  const S = plan.sample!.stride;
  const P = ctx.graph.paramCount;
  const name = (m: string): string => JSON.stringify(`${ctx.className}.${m}`);
  const dIn = train.dInput === null ? null : ctx.regions.value(train.dInput).offset;
  const keepInputGrad =
    dIn === null
      ? ""
      : `if (this.inputGrads.length !== n * ${num(ctx.inputSize)}) this.inputGrads = new ${ctx.array}(n * ${num(ctx.inputSize)});
         for (let s = 0; s < n; s++) this.inputGrads.set(a.subarray(s * ${S} + ${num(dIn)}, s * ${S} + ${num(dIn + ctx.inputSize)}), s * ${num(ctx.inputSize)});`;
  return {
    name: "computeGradients",
    docs: ["Mean loss over the batch; fills the gradients (mean over the batch), leaves the weights and the moving statistics."],
    parameters: [
      { name: "xs", type: "ArrayLike<number>" },
      { name: "targets", type: targetsType(t) },
      { name: "n", type: "number" },
    ],
    returnType: "number",
    statements: `this.checkInputs(${name("computeGradients")}, xs, n);
        this.checkFiniteInputs(${name("computeGradients")}, xs);
        this.checkTargets(${name("computeGradients")}, targets, n);
        this.reserve(n);
        const a = this.a;
        a.fill(0, ${num(t.grads.offset)}, ${num(t.grads.offset + P)});
        this.rngWork = this.rng;
        const scale = 1 / n;
        let loss = 0;
        ${hitsK ? "let hits = 0;" : ""}
        for (let s = 0; s < n; s++) this.load(xs, s, s * ${S});
        this.trainForward(n);
        for (let s = 0; s < n; s++) {
          a.fill(0, s * ${S} + ${num(plan.gradRegion.start)}, s * ${S} + ${num(plan.gradRegion.end)});
          loss += this.loss(${["targets", "s", "scale", ...sampleArgs(ctx, lossK, "s")].join(", ")});
          ${hitsK ? `hits += this.hits(${["targets", "s", ...sampleArgs(ctx, hitsK, "s")].join(", ")});` : ""}
        }
        this.trainBackward(n);
        ${keepInputGrad}
        ${hitsK ? "this.lastBatchHits = hits;" : ""}
        return loss / n;`,
  };
}

/** Once per trainBatch step: each batch layer's update from the last batch (the moving statistics). */
function updateStatistics(ctx: ModelContext): Method {
  const g = ctx.graph;
  const kernel = g.train!.nodes.flatMap((id) => {
    const node = g.nodes[id]!;
    const batch = ops[node.layer.op].lower.batch;
    return batch && runsOnBatch(g, node) ? batch.kernel.update(node, ctx.env) : [];
  });
  return {
    name: "updateStatistics",
    scope: Scope.Private,
    docs: ["The moving statistics of every batch norm, from the last computeGradients batch (once per step, as Keras)."],
    returnType: "void",
    statements: kernelText(ctx, kernel),
  };
}

/** Grows the arena (and the index arena) to hold n copies of the per-sample buffers, once per
 *  larger batch: no allocation after the largest batch has been seen. Everything before the
 *  per-sample section (weights, gradients, optimizer state, statistics) is copied over. */
function reserveMethod(ctx: ModelContext): Method {
  if (ctx.wasm !== null) return reserveWasm(ctx);
  const plan = ctx.graph.plan;
  const S = plan.sample!.stride;
  const index = plan.indexSize > 0 ? `const ix = new Int32Array(n * ${num(plan.indexSize)}); ix.set(this.ix); this.ix = ix;` : "";
  return reserveShell(`const a = new ${ctx.arena}(${num(plan.arenaSize)} + (n - 1) * ${num(S)});
      a.set(this.a);
      this.a = a;
      ${index}`);
}

/** The reserve method around `grow`: it runs once per larger batch. */
function reserveShell(grow: string): Method {
  return {
    name: "reserve",
    scope: Scope.Private,
    parameters: [{ name: "n", type: "number" }],
    returnType: "void",
    statements: `if (n <= this.capacity) return;
      ${grow}
      this.capacity = n;`,
  };
}

/** reserve() on the wasm target: the arena is the module's memory, so it grows in place (new
 *  pages are zero), the index arena moves past the grown value arena (copyWithin: it may overlap
 *  its old place) and the module's index base follows it, the value arena's new samples are
 *  cleared (the old index arena was there; padded copies rely on zero borders), and `this.a` is
 *  made again on the new buffer (a grow detaches the old one). SLACK bytes stay past the end, as
 *  build.ts keeps them (partial f32x4 loads read there). */
function reserveWasm(ctx: ModelContext): Method {
  const plan = ctx.graph.plan;
  const S = plan.sample!.stride;
  const bytes = ctx.wasm!.layout.valueBytes;
  const X = plan.indexSize * 4;
  // the index arena's byte address for c samples: on a 16-byte boundary after the values (build.ts)
  const indexAt = (c: string): string => `Math.ceil((${num(plan.arenaSize)} + (${c} - 1) * ${num(S)}) * ${bytes} / 16) * 16`;
  const index =
    X > 0
      ? `memory.copyWithin(at, from, from + this.capacity * ${num(X)});
      memory.fill(0, at + this.capacity * ${num(X)}, end);
      this.k.${SET_INDEX_BASE}(at);`
      : "";
  return reserveShell(`const values = ${num(plan.arenaSize)} + (n - 1) * ${num(S)};
      const cleared = this.a.length * ${bytes};
      const from = ${indexAt("this.capacity")};
      const at = ${indexAt("n")};
      const end = ${X > 0 ? `at + n * ${num(X)}` : "at"};
      const pages = Math.ceil((end + ${SLACK}) / ${PAGE}) - this.k.memory.buffer.byteLength / ${PAGE};
      if (pages > 0) this.k.memory.grow(pages);
      const memory = new Uint8Array(this.k.memory.buffer);
      ${index}
      memory.fill(0, cleared, values * ${bytes});
      this.a = new ${ctx.arena}(this.k.memory.buffer, 0, values);`);
}
