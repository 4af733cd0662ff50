// The per-sample passes. Each layer's forward and backward code is a method of its own: V8
// optimises (and, when a rarely taken branch first runs, re-optimises) small functions
// quickly, where one giant pass would take seconds to compile. The passes call them in order.
import { Scope, type MethodDeclarationStructure, type OptionalKind } from "ts-morph";
import type { ForwardNode } from "../../ir/graph.js";
import type { ModelContext } from "../context.js";
import { ops } from "../../ops/index.js";
import { kernelText } from "../kernel-text.js";

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

function forwardCall(ctx: ModelContext, node: ForwardNode, training: string): string {
  if (!emitsCode(node)) {
    const line = `// ${node.layer.name}: ${node.layer.op}, no code: its output aliases its input's storage`;
    return ctx.schedule.readable ? `${line}\n${indexMapComment(ctx, node)}` : line;
  }
  const call = `this.fwd${node.id}(${usesTraining(ctx, node) ? training : ""});`;
  return ctx.options.checkNumerics ? `${call} ${numericsCheck(ctx, node)}` : call;
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
function numericsCheck(ctx: ModelContext, node: ForwardNode): string {
  const at = ctx.regions.value(node.output).offset;
  const size = ctx.env.size(node.output);
  const what = JSON.stringify(`${ctx.className}: layer ${node.layer.name} (${node.layer.op}, line ${ctx.line(node)}) produced `);
  return `this.checkFinite(${at}, ${at + size}, ${what});`;
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

function layerMethods(ctx: ModelContext): Method[] {
  const methods: Method[] = [];
  for (const id of ctx.graph.live) {
    const node = ctx.graph.nodes[id]!;
    if (!emitsCode(node)) continue;
    methods.push({
      name: `fwd${id}`,
      scope: Scope.Private,
      docs: [`Forward: ${describe(ctx, node)}`],
      parameters: usesTraining(ctx, node) ? [{ name: "training", type: "boolean" }] : [],
      returnType: "void",
      statements: kernelText(ctx, ops[node.layer.op].lower.kernel.forward(node, ctx.env, usesTraining(ctx, node) ? "train" : "infer")),
    });
  }
  for (const b of ctx.graph.train?.backward ?? []) {
    const node = ctx.graph.nodes[b.node]!;
    if (!emitsCode(node)) continue;
    methods.push({
      name: `bwd${node.id}`,
      scope: Scope.Private,
      docs: [`Backward: ${describe(ctx, node)}`],
      returnType: "void",
      statements: kernelText(ctx, ops[node.layer.op].lower.kernel.backward(node, b, ctx.env)),
    });
  }
  return methods;
}

export function runMethods(ctx: ModelContext): Method[] {
  const g = ctx.graph;
  const methods: Method[] = [
    {
      name: "runInfer",
      scope: Scope.Private,
      docs: ["Forward pass of the sample in the input slot, up to the output (inference mode)."],
      returnType: "void",
      statements: g.inferNodes.map((id) => forwardCall(ctx, g.nodes[id]!, "false")).join("\n"),
    },
  ];
  const train = g.train;
  if (train) {
    methods.push(
      {
        name: "runTrain",
        scope: Scope.Private,
        docs: ["Forward pass up to what the loss reads; dropout is active when `training`."],
        parameters: [{ name: "training", type: "boolean" }],
        returnType: "void",
        statements: train.nodes.map((id) => forwardCall(ctx, g.nodes[id]!, "training")).join("\n") + "\nvoid training;",
      },
      {
        name: "runBackward",
        scope: Scope.Private,
        docs: ["Backward pass: from the loss's gradient to every parameter gradient (accumulated)."],
        returnType: "void",
        statements: train.backward
          .map((b) => {
            const node = g.nodes[b.node]!;
            return emitsCode(node) ? `this.bwd${node.id}();` : `// ${node.layer.name}: ${node.layer.op}, no code: its gradient aliases its input's gradient`;
          })
          .join("\n"),
      },
    );
  }
  return [...methods, ...layerMethods(ctx), ...(ctx.options.checkNumerics ? [checkFiniteMethod()] : [])];
}
