// The per-sample passes. Each layer's forward and backward code is a method of its own: V8
// optimises (and, when a rarely taken branch first runs, re-optimises) small functions
// quickly, where one giant pass would take seconds to compile. The passes call them in order.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { ForwardNode } from "../../ir/graph.js";
import type { ModelContext } from "../context.js";
import { ops } from "../../ops/index.js";
import { kernelText } from "../kernel-text.js";
import { foldPairs, runsOnBatch } from "../../ir/batch.js";
import { BLOCK_SLOT, type KernelEnv, type Phase } from "../kernels/types.js";
import { layerMajor, sampleArgs, sampleKernel, sampleParams, type SampleKernel } from "../sample.js";

type Method = OptionalKind<MethodDeclarationStructure>;

function describe(ctx: ModelContext, node: ForwardNode): string {
  const from = node.inputs.map((v) => `[${ctx.env.shape(v).join(", ")}]`).join(", ");
  const fused = node.fused ? ` + ${node.fused.activation.op}` : "";
  return `${node.layer.name}: ${node.layer.op}${fused} ${from} -> [${ctx.env.shape(node.output).join(", ")}] (line ${ctx.line(node)})`;
}

// An op that behaves differently while training (dropout) does so only on the loss's path
// (elsewhere it has no mask and is the identity).
const usesTraining = (ctx: ModelContext, node: ForwardNode): boolean =>
  (ops[node.layer.op].lower.trainingMode ?? false) && (ctx.graph.train?.nodes.includes(node.id) ?? false);
// An op whose output aliases its input (flatten) has no code in either direction.
const emitsCode = (node: ForwardNode): boolean => !ops[node.layer.op].lower.aliasesInput;

function forwardCall(ctx: ModelContext, node: ForwardNode, training: string, k: Kernels): string {
  if (!emitsCode(node)) {
    const line = `// ${node.layer.name}: ${node.layer.op}, no code: its output aliases its input's storage`;
    return ctx.schedule.readable ? `${line}\n${indexMapComment(ctx, node)}` : line;
  }
  const args = [...(usesTraining(ctx, node) ? [training] : []), ...sampleArgs(ctx, k.forward.get(node.id)!, "0")];
  const call = `this.fwd${node.id}(${args.join(", ")});`;
  return ctx.options.checkNumerics ? `${call} ${numericsCheck(ctx, node)}` : call;
}

/** The prediction pass's call for a node: a layer a batch norm folds into runs with the
 *  folded weights, straight into the batch norm's output, and the batch norm itself is gone. */
function inferCall(ctx: ModelContext, node: ForwardNode, k: Kernels): string {
  if (k.foldedInto.has(node.id)) return `// ${node.layer.name}: ${node.layer.op}, folded into the weights of the layer before it when predicting`;
  if (k.folds.has(node.id)) {
    const call = `this.ifwd${node.id}(${sampleArgs(ctx, k.folds.get(node.id)!.kernel, "0").join(", ")});`;
    return ctx.options.checkNumerics ? `${call} ${numericsCheck(ctx, k.folds.get(node.id)!.node)}` : call;
  }
  return forwardCall(ctx, node, "false", k);
}

/** For readers, the index map that replaces a flatten: flat[i] is element i of the input in
 *  row-major order, read in place (integer division). */
function indexMapComment(ctx: ModelContext, node: ForwardNode): string {
  const input = node.inputs[0]!;
  const shape = ctx.env.shape(input);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((x, y) => x * y, 1));
  const index = shape.map((dim, k) => {
    const q = strides[k] === 1 ? "i" : `i / ${strides[k]}`;
    if (k === 0) return q;
    return strides[k] === 1 ? `i % ${dim}` : `(${q}) % ${dim}`;
  });
  return `//   flat[i] = ${ctx.regions.value(input).name}[${index.join(", ")}] (integer division): no copy, forward or backward`;
}

/** --check-numerics: stop at the first layer whose output holds a NaN or an infinity. */
function numericsCheck(ctx: ModelContext, node: ForwardNode, sampleOffset = ""): string {
  const at = ctx.regions.value(node.output).offset;
  const size = ctx.env.size(node.output);
  const what = JSON.stringify(`${ctx.className}: layer ${node.layer.name} (${node.layer.op}, line ${ctx.line(node)}) produced `);
  return `this.checkFinite(${sampleOffset}${at}, ${sampleOffset}${at + size}, ${what});`;
}

function checkFiniteMethod(): Method {
  return {
    name: "checkFinite",
    scope: Scope.Private,
    docs: ["--check-numerics: throws when a layer's output holds a NaN or an infinity."],
    parameters: [{ name: "start", type: "number" }, { name: "end", type: "number" }, { name: "what", type: "string" }],
    returnType: "void",
    statements: `const a = this.a;
      for (let i = start; i < end; i++) {
        const v = a[i]!;
        if (v - v !== 0) throw new Error(what + v + " at element " + (i - start));
      }`,
  };
}

/** The kernels of every layer method, built once: their texts and which offsets they take. */
interface Kernels {
  readonly forward: ReadonlyMap<number, SampleKernel>;
  readonly backward: ReadonlyMap<number, SampleKernel>;
  /** by producer: the prediction kernel with folded weights, and the node it is run as */
  readonly folds: ReadonlyMap<number, { readonly kernel: SampleKernel; readonly node: ForwardNode }>;
  /** the batch norms folded away when predicting */
  readonly foldedInto: ReadonlySet<number>;
  /** by node, the batch block's products (BlockKernel.product) for counts 1 to B, for the
   *  nodes whose backward leaves its parameter gradients to the block */
  readonly products: ReadonlyMap<number, readonly string[]>;
}

/** Whether any layer's parameter gradients are summed over the batch block. */
export function hasBatchBlock(ctx: ModelContext): boolean {
  return ctx.graph.plan.batchBlock.nodes.size > 0;
}

function buildKernels(ctx: ModelContext): Kernels {
  const g = ctx.graph;
  const pairs = foldPairs(g);
  // a layer folded away when predicting needs its own pass only if training runs it
  const folded = new Set(pairs.flatMap((p) => [p.norm, p.producer]).filter((id) => !(g.train?.nodes.includes(id) ?? false)));
  const forward = new Map<number, SampleKernel>();
  for (const id of g.live) {
    const node = g.nodes[id]!;
    if (emitsCode(node) && !folded.has(id)) forward.set(id, sampleKernel(ctx, ops[node.layer.op].lower.kernel.forward(node, ctx.env, usesTraining(ctx, node) ? "train" : "infer")));
  }
  const backward = new Map<number, SampleKernel>();
  const products = new Map<number, string[]>();
  for (const b of g.train?.backward ?? []) {
    const node = g.nodes[b.node]!;
    const kernel = ops[node.layer.op].lower.kernel;
    if (g.plan.batchBlock.nodes.has(node.id)) {
      backward.set(node.id, sampleKernel(ctx, kernel.block!.backward(node, b, ctx.env), [BLOCK_SLOT]));
      products.set(node.id, Array.from({ length: g.plan.batchBlock.samples }, (_, c) => kernelText(ctx, kernel.block!.product(node, b, ctx.env, c + 1))));
    } else if (emitsCode(node) && !runsOnBatch(g, node)) backward.set(node.id, sampleKernel(ctx, kernel.backward(node, b, ctx.env)));
  }
  const folds = new Map<number, { kernel: SampleKernel; node: ForwardNode }>();
  const foldedInto = new Set<number>();
  for (const pair of pairs) {
    const { node, env } = foldedLayer(ctx, g.nodes[pair.producer]!, g.nodes[pair.norm]!);
    folds.set(pair.producer, { kernel: sampleKernel(ctx, ops[node.layer.op].lower.kernel.forward(node, env, "infer")), node });
    foldedInto.add(pair.norm);
  }
  return { forward, backward, folds, foldedInto, products };
}

/** The producer as the prediction pass runs it: its folded kernel and bias (a bias even when
 *  it had none), writing the batch norm's output. */
function foldedLayer(ctx: ModelContext, producer: ForwardNode, norm: ForwardNode): { node: ForwardNode; env: KernelEnv } {
  const target = ctx.regions.folded(producer)!;
  const layer = { ...producer.layer, attrs: { ...producer.layer.attrs, bias: true } } as ForwardNode["layer"];
  const node: ForwardNode = { ...producer, layer, output: norm.output };
  const fold = ops[producer.layer.op].lower.foldsChannelScale!;
  const env: KernelEnv = { ...ctx.env, param: (n, k) => (k === fold.kernel ? target.kernel : k === fold.bias ? target.bias : ctx.env.param(n, k)) };
  return { node, env };
}

function layerMethods(ctx: ModelContext, k: Kernels): Method[] {
  const methods: Method[] = [];
  for (const id of ctx.graph.live) {
    const node = ctx.graph.nodes[id]!;
    const kernel = k.forward.get(id);
    if (kernel === undefined) continue;
    methods.push({
      name: `fwd${id}`,
      scope: Scope.Private,
      docs: [`Forward: ${describe(ctx, node)}${runsOnBatch(ctx.graph, node) ? " (with the moving statistics: evaluate)" : ""}`],
      parameters: [...(usesTraining(ctx, node) ? [{ name: "training", type: "boolean" }] : []), ...sampleParams(kernel)],
      returnType: "void",
      statements: kernel.text,
    });
  }
  for (const [id, fold] of k.folds)
    methods.push({
      name: `ifwd${id}`,
      scope: Scope.Private,
      docs: [`Forward when predicting: ${describe(ctx, ctx.graph.nodes[id]!)}, with the batch norm after it folded into its weights`],
      parameters: sampleParams(fold.kernel),
      returnType: "void",
      statements: fold.kernel.text,
    });
  for (const b of ctx.graph.train?.backward ?? []) {
    const node = ctx.graph.nodes[b.node]!;
    const kernel = k.backward.get(node.id);
    if (kernel === undefined) continue;
    methods.push({
      name: `bwd${node.id}`,
      scope: Scope.Private,
      docs: [`Backward: ${describe(ctx, node)}${k.products.has(node.id) ? ", its parameter gradients left to the batch block (its input and dy kept at `slot`)" : ""}`],
      parameters: [...(k.products.has(node.id) ? [{ name: BLOCK_SLOT, type: "number" }] : []), ...sampleParams(kernel)],
      returnType: "void",
      statements: kernel.text,
    });
  }
  return methods;
}

export function runMethods(ctx: ModelContext): Method[] {
  const g = ctx.graph;
  const k = buildKernels(ctx);
  const methods: Method[] = [
    {
      name: "runInfer",
      scope: Scope.Private,
      docs: ["Forward pass of the sample in the input slot, up to the output (inference mode)."],
      returnType: "void",
      statements: g.inferNodes.map((id) => inferCall(ctx, g.nodes[id]!, k)).join("\n"),
    },
  ];
  const train = g.train;
  if (train) {
    methods.push({
      name: "runTrain",
      scope: Scope.Private,
      docs: [layerMajor(ctx) ? "Forward pass of the sample in the input slot up to what the loss reads, batch norms with their moving statistics (evaluate)." : "Forward pass up to what the loss reads; dropout is active when `training`."],
      parameters: [{ name: "training", type: "boolean" }],
      returnType: "void",
      statements: train.nodes.map((id) => forwardCall(ctx, g.nodes[id]!, "training", k)).join("\n") + "\nvoid training;",
    });
    methods.push(...(layerMajor(ctx) ? layerMajorPasses(ctx, k) : [runBackward(ctx, k)]));
    if (k.products.size > 0) methods.push(blockProducts(k));
  }
  return [...methods, ...layerMethods(ctx, k), ...(ctx.options.checkNumerics ? [checkFiniteMethod()] : [])];
}

function runBackward(ctx: ModelContext, k: Kernels): Method {
  const g = ctx.graph;
  const blocked = k.products.size > 0;
  return {
    name: "runBackward",
    scope: Scope.Private,
    docs: [blocked ? "Backward pass: from the loss's gradient to every parameter gradient (accumulated); the batch block's layers keep the sample at `slot` for blockProducts." : "Backward pass: from the loss's gradient to every parameter gradient (accumulated)."],
    parameters: blocked ? [{ name: BLOCK_SLOT, type: "number" }] : [],
    returnType: "void",
    statements: g.train!.backward
      .map((b) => {
        const node = g.nodes[b.node]!;
        if (k.products.has(node.id)) return `this.bwd${node.id}(${BLOCK_SLOT});`;
        return emitsCode(node) ? `this.bwd${node.id}();` : `// ${node.layer.name}: ${node.layer.op}, no code: its gradient aliases its input's gradient`;
      })
      .join("\n"),
  };
}

/** A kernel's text as one statement of a switch case: a TypeScript body (several lines, with
 *  its own locals) in a block of its own, a call into the wasm module as it is. */
const scoped = (text: string): string => (text.includes("\n") ? `{\n${text}\n}` : text);

/** blockProducts(count): the parameter gradients of the batch block's first `count` samples,
 *  one product kernel per layer and count (count is a literal in each: BlockKernel). */
function blockProducts(k: Kernels): Method {
  const counts = [...k.products.values()][0]!.map((_, c) => c + 1);
  const cases = counts.map((c) => `case ${c}: {\n${[...k.products.values()].map((texts) => scoped(texts[c - 1]!)).join("\n")}\nbreak;\n}`);
  return {
    name: "blockProducts",
    scope: Scope.Private,
    docs: ["Adds the parameter gradients of the batch block's first `count` samples (1 to B), those of the layers whose backward left them to the block."],
    parameters: [{ name: "count", type: "number" }],
    returnType: "void",
    statements: `switch (count) {\n${cases.join("\n")}\n}`,
  };
}

/** Layer-major training: each layer over the whole batch (samples 0 to n-1 in their copies of
 *  the per-sample buffers), a batch layer as its phases; then the same backward. */
function layerMajorPasses(ctx: ModelContext, k: Kernels): Method[] {
  const g = ctx.graph;
  const train = g.train!;
  const overBatch = (call: (s: string) => string): string => `for (let s = 0; s < n; s++) ${call("s")}`;
  const forward = train.nodes.map((id) => {
    const node = g.nodes[id]!;
    if (!emitsCode(node)) return `// ${node.layer.name}: ${node.layer.op}, no code: its output aliases its input's storage`;
    if (runsOnBatch(g, node)) return `this.batchFwd${id}(n);`;
    const kernel = k.forward.get(id)!;
    const args = [...(usesTraining(ctx, node) ? ["true"] : []), ...sampleArgs(ctx, kernel, "s")];
    const check = (s: string): string => (ctx.options.checkNumerics ? ` ${numericsCheck(ctx, node, `${s} * ${g.plan.sample!.stride} + `)}` : "");
    return overBatch((s) => `{ this.fwd${id}(${args.join(", ")});${check(s)} }`);
  });
  const backward = train.backward.map((b) => {
    const node = g.nodes[b.node]!;
    if (!emitsCode(node)) return `// ${node.layer.name}: ${node.layer.op}, no code: its gradient aliases its input's gradient`;
    if (runsOnBatch(g, node)) return `this.batchBwd${node.id}(n);`;
    return overBatch((s) => `this.bwd${node.id}(${sampleArgs(ctx, k.backward.get(node.id)!, s).join(", ")});`);
  });
  const methods: Method[] = [
    {
      name: "trainForward",
      scope: Scope.Private,
      docs: ["Training forward pass, layer by layer over the n samples loaded (batch norms with the batch's statistics)."],
      parameters: [{ name: "n", type: "number" }],
      returnType: "void",
      statements: forward.join("\n"),
    },
    {
      name: "trainBackward",
      scope: Scope.Private,
      docs: ["Backward pass, layer by layer over the batch, to every parameter gradient (accumulated)."],
      parameters: [{ name: "n", type: "number" }],
      returnType: "void",
      statements: backward.join("\n"),
    },
  ];
  for (const id of train.nodes) {
    const node = g.nodes[id]!;
    const batch = ops[node.layer.op].lower.batch;
    if (!batch || !runsOnBatch(g, node)) continue;
    const grad = train.backward.find((b) => b.node === id);
    methods.push({
      name: `batchFwd${id}`,
      scope: Scope.Private,
      docs: [`Training forward over the batch: ${describe(ctx, node)}`],
      parameters: [{ name: "n", type: "number" }],
      returnType: "void",
      statements: phasesText(ctx, batch.kernel.forward(node, ctx.env)),
    });
    if (grad)
      methods.push({
        name: `batchBwd${id}`,
        scope: Scope.Private,
        docs: [`Backward over the batch: ${describe(ctx, node)}`],
        parameters: [{ name: "n", type: "number" }],
        returnType: "void",
        statements: phasesText(ctx, batch.kernel.backward(node, grad, ctx.env)),
      });
  }
  return methods;
}

/** A batch kernel's phases as one method body: `once` as it is, `each` inside the loop over the
 *  batch with that sample's offsets. */
function phasesText(ctx: ModelContext, phases: readonly Phase[]): string {
  return phases
    .map((phase) => {
      if ("once" in phase) return `{\n${kernelText(ctx, phase.once, ["n"])}\n}`;
      const k = sampleKernel(ctx, phase.each);
      const offsets = [...(k.so ? [`const so = s * ${ctx.graph.plan.sample!.stride};`] : []), ...(k.sx ? [`const sx = s * ${ctx.graph.plan.indexSize};`] : [])];
      return `for (let s = 0; s < n; s++) {\n${offsets.join("\n")}\n${k.text}\n}`;
    })
    .join("\n");
}
