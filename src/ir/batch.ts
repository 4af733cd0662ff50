// Layer-major training. An op that needs the whole batch while training (batchnorm: `batch` in
// its lowering) cannot run sample by sample: every sample's input must be there before any
// sample goes past it, and its backward needs sums over the batch before any sample's input
// gradient. A model with such a layer on the loss's path trains layer by layer instead: each
// layer over every sample of the batch, each sample in its own copy of the per-sample buffers.
// Models without one keep the sample-by-sample passes, unchanged.
import { ops } from "../ops/index.js";
import type { BackwardNode, ForwardNode, TrainedGraph } from "./graph.js";

/** A layer frozen by `trainable: false` (wired in by the layer options): a frozen batchnorm
 *  normalises with its moving statistics in training too, one sample at a time. */
export function isFrozen(node: ForwardNode): boolean {
  return (node.layer.attrs as { readonly trainable?: boolean }).trainable === false;
}

/** Whether the node runs over the whole batch at once while training. */
export function runsOnBatch(graph: TrainedGraph, node: ForwardNode): boolean {
  return ops[node.layer.op].lower.batch !== undefined && !isFrozen(node) && (graph.train?.nodes.includes(node.id) ?? false);
}

/** The loss's path has a layer that needs the whole batch: training runs layer-major. */
export function trainsLayerMajor(graph: TrainedGraph): boolean {
  return (graph.train?.nodes ?? []).some((id) => runsOnBatch(graph, graph.nodes[id]!));
}

/** Whether the node's backward leaves its parameter gradients to the batch block's product
 *  (Kernel.block, src/emit/kernels/types.ts): a block of more than one sample (batchBlock in
 *  src/options.ts), an op with a block kernel, parameter gradients to compute (a frozen layer's
 *  backward only carries dx), a kernel gradient of at least `block.min` floats (where the
 *  block pays: BLOCK_MIN_GRADIENT in src/options.ts), and sample-by-sample training (a
 *  layer-major model keeps its per-sample kernels: its passes run each layer over the batch
 *  already). */
export function blocksGradients(graph: TrainedGraph, grad: BackwardNode, block: { readonly samples: number; readonly min: number }): boolean {
  const node = graph.nodes[grad.node]!;
  const kernel = node.params[0] === undefined ? 0 : graph.params[node.params[0]]!.size;
  return block.samples > 1 && grad.paramGrads && kernel >= block.min && ops[node.layer.op].lower.kernel.block !== undefined && !trainsLayerMajor(graph);
}

export interface FoldPair {
  /** the batch-norm node, left out of the prediction pass */
  readonly norm: number;
  /** the conv2d or dense node it folds into */
  readonly producer: number;
}

/** Batch norms folded into the layer before them when predicting: the layer is a
 *  `foldsChannelScale` op with no fused activation, and the batch norm is the only reader of
 *  its output on the prediction path (which is not the model's output either). */
export function foldPairs(graph: TrainedGraph): FoldPair[] {
  const infer = graph.inferNodes.map((id) => graph.nodes[id]!);
  const readers = new Map<number, number>();
  for (const n of infer) for (const v of n.inputs) readers.set(v, (readers.get(v) ?? 0) + 1);
  const pairs: FoldPair[] = [];
  for (const node of infer) {
    if (ops[node.layer.op].lower.batch === undefined) continue;
    const input = node.inputs[0]!;
    const producer = infer.find((n) => n.output === input);
    if (!producer || producer.fused || !ops[producer.layer.op].lower.foldsChannelScale) continue;
    if (readers.get(input) !== 1 || input === graph.output) continue;
    pairs.push({ norm: node.id, producer: producer.id });
  }
  return pairs;
}
