// The memory plan's buffers as named regions: what a kernel reads and writes, named after the
// layer or parameter they belong to (`featuresConv2d1Out`, `dLogitsDense1Kernel`), so the readable
// build can print them as constants. Names are identifiers built from validated layer names,
// made unique within the model.
import type { ForwardNode, Graph, ValueId } from "../ir/graph.js";
import { stateBlocks } from "../check/train/optimizer.js";
import { region } from "../kernel/build.js";
import type { Region } from "../kernel/ir.js";

export interface Regions {
  value(v: ValueId): Region;
  param(index: number): Region;
  paramGrad(index: number): Region;
  mask(node: ForwardNode): Region;
  padded(node: ForwardNode): { readonly input: Region; readonly grad: Region | null } | undefined;
  argmax(node: ForwardNode): Region;
  /** an intermediate value the node's op declared (Scratch.values), and its gradient */
  scratch(node: ForwardNode, name: string): { readonly value: Region; readonly grad: Region | null };
  /** the scratch a batch layer shares over the batch (batch statistics) */
  batchScratch(node: ForwardNode): Region;
  /** the folded kernel and bias of a layer a batch norm follows, for predicting */
  folded(node: ForwardNode): { readonly kernel: Region; readonly bias: Region } | undefined;
  preActivation(node: ForwardNode): Region | undefined;
  /** every parameter, one block in declaration order */
  readonly weights: Region;
  /** their gradients, same layout (training builds only) */
  readonly grads: Region | null;
  /** the optimizer state blocks: momentum, or Adam's first and second moments */
  readonly state: readonly Region[];
}

export function modelRegions(graph: Graph): Regions {
  const plan = graph.plan;
  const names = new Set<string>();
  const unique = (base: string): string => {
    let name = base;
    for (let k = 2; names.has(name); k++) name = `${base}${k}`;
    names.add(name);
    return name;
  };
  const writer = new Map<ValueId, ForwardNode>();
  for (const n of graph.nodes) if (n.fusedInto === undefined) writer.set(n.output, n);
  const root = (v: ValueId): ValueId => {
    const alias = graph.values[v]!.aliasOf;
    return alias === undefined ? v : root(alias);
  };
  const valueName = (v: ValueId): string => {
    const value = graph.values[v]!;
    // a gradient is named after its activation
    const act = value.kind === "grad" ? activationOf.get(v)! : v;
    const node = writer.get(act);
    const base = node ? `${camel(node.layer.name)}Out` : `${camel(graph.model.tensors.find((t) => graph.valueOf.get(t.id) === act)?.name ?? "input")}In`;
    return value.kind === "grad" ? `d${capital(base)}` : base;
  };
  const activationOf = new Map([...(graph.train?.gradients ?? [])].map(([act, grad]) => [grad, act]));
  const values = new Map<ValueId, Region>();
  const value = (v: ValueId): Region => {
    const r = root(v);
    let known = values.get(r);
    if (!known) {
      const at = plan.offsets.get(r);
      if (at === undefined) throw new Error(`internal: value ${v} has no place in the memory plan`);
      known = region(unique(valueName(r)), at, graph.values[r]!.size);
      values.set(r, known);
    }
    return known;
  };
  const params = graph.params.map((p) => region(unique(camel(p.name)), plan.paramOffset + p.offset, p.size));
  const gradOffset = plan.gradOffset;
  const grads = gradOffset === null ? [] : graph.params.map((p, i) => region(unique(`d${capital(params[i]!.name)}`), gradOffset + p.offset, p.size));
  const memo = <T>(f: (node: ForwardNode) => T): ((node: ForwardNode) => T) => {
    const seen = new Map<number, T>();
    return (node) => {
      if (!seen.has(node.id)) seen.set(node.id, f(node));
      return seen.get(node.id)!;
    };
  };
  const P = graph.paramCount;
  const stateNames = graph.train ? stateBlocks(graph.train.optimizer) : [];
  return {
    weights: region(unique("weights"), plan.paramOffset, P),
    grads: plan.gradOffset === null ? null : region(unique("grads"), plan.gradOffset, P),
    state: plan.stateOffsets.map((at, i) => region(unique(stateNames[i]!), at, plan.stateSize)),
    value,
    param: (i) => params[i]!,
    paramGrad: (i) => {
      const g = grads[i];
      if (!g) throw new Error("internal: a parameter gradient in a model without training");
      return g;
    },
    mask: memo((node) => region(unique(`${camel(node.layer.name)}Mask`), plan.masks.get(node.id)!, graph.values[node.output]!.size)),
    padded: memo((node) => {
      const p = plan.padded.get(node.id);
      if (!p) return undefined;
      const base = `${camel(node.layer.name)}Padded`;
      return { input: region(unique(base), p.input, p.size), grad: p.grad === null ? null : region(unique(`d${capital(base)}`), p.grad, p.size) };
    }),
    scratch: (() => {
      const byNode = memo((node) => {
        const named = new Map<string, { value: Region; grad: Region | null }>();
        for (const e of plan.scratch.get(node.id) ?? []) {
          const base = `${camel(node.layer.name)}${capital(e.name)}`;
          named.set(e.name, { value: region(unique(base), e.value, e.size), grad: e.grad === null ? null : region(unique(`d${capital(base)}`), e.grad, e.size) });
        }
        return named;
      });
      return (node: ForwardNode, name: string) => {
        const found = byNode(node).get(name);
        if (!found) throw new Error(`internal: ${node.layer.name} has no scratch value ${name}`);
        return found;
      };
    })(),
    preActivation: memo((node) => {
      const at = plan.preActivations.get(node.id);
      return at === undefined ? undefined : region(unique(`${camel(node.layer.name)}Pre`), at, graph.values[node.output]!.size);
    }),
    argmax: memo((node) => region(unique(`${camel(node.layer.name)}Argmax`), plan.argmax.get(node.id)!, graph.values[node.output]!.size, "ix")),
    batchScratch: memo((node) => {
      const s = plan.batchScratch.get(node.id);
      if (!s) throw new Error(`internal: ${node.layer.name} has no batch scratch`);
      return region(unique(`${camel(node.layer.name)}Stats`), s.offset, s.size);
    }),
    folded: memo((node) => {
      const f = plan.folded.get(node.id);
      if (!f) return undefined;
      const base = camel(node.layer.name);
      return { kernel: region(unique(`${base}FoldedKernel`), f.kernel, f.kernelSize), bias: region(unique(`${base}FoldedBias`), f.bias, f.biasSize) };
    }),
  };
}

/** `features.conv2d_1` -> `featuresConv2d_1`: the dots of a layer name dropped, camel-cased. */
function camel(name: string): string {
  return name
    .split(".")
    .map((part, i) => (i === 0 ? part : capital(part)))
    .join("");
}

function capital(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}
