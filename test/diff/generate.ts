// Random shape-valid networks over every op of LANGUAGE.md, seeded so each can be replayed.
// Each candidate layer is drawn at random and kept only if its output shape is valid and small
// (see limits), so every case compiles and runs in milliseconds.
import { Rng } from "./random.js";
import type { Binding, Dims, LossKind, MergeCall, Network, Optimizer, OutputForm, Train, UnaryCall } from "./network.js";
import { mergeShape, product, unaryShape } from "./shapes.js";
import { limits, pickUnary, randomConv, randomConv1d, type Budget } from "./generate-ops.js";

/** A tensor the next binding may read. */
interface Value {
  readonly name: string;
  readonly shape: Dims;
}

class Builder {
  readonly bindings: Binding[] = [];
  readonly budget: Budget;
  private counter = 0;
  private asCounter = 0;

  constructor(
    readonly rng: Rng,
    readonly training: boolean,
    layers: number,
  ) {
    this.budget = { layersLeft: layers, flopsLeft: limits.maxFlops };
  }

  fresh(stem: string): string {
    return `${stem}${++this.counter}`;
  }

  /** decorate a call with a random argument style and, rarely, an `as` name */
  dress<T extends UnaryCall | MergeCall>(call: T): T {
    const style = this.rng.weighted({ first: 6, named: 2, positional: 2 });
    const named = (call.op === "conv2d" || call.op === "dense") && this.rng.chance(0.1);
    return { ...call, style, ...(named ? { as: `layer${++this.asCounter}` } : {}) };
  }

  /** a binding of `count` random unary layers after `from` */
  chain(from: Value, count: number, stem: string, pick = pickUnary): Value {
    const calls: UnaryCall[] = [];
    let shape = from.shape;
    for (let i = 0; i < count && this.budget.layersLeft > 0; i++) {
      const call = pick(this.rng, shape, this.budget, this.training);
      if (!call) break;
      calls.push(this.dress(call));
      shape = unaryShape(call, shape)!;
      this.budget.layersLeft--;
    }
    if (calls.length === 0) return from;
    return this.bind({ kind: "ref", name: from.name }, calls, shape, stem);
  }

  bind(source: Binding["source"], calls: UnaryCall[], shape: Dims, stem: string): Value {
    const name = this.fresh(stem);
    this.bindings.push({ name, source, calls, annotate: this.rng.chance(0.25) });
    return { name, shape };
  }
}

export function generateNetwork(seed: number): Network {
  const rng = new Rng(seed);
  const loss = rng.weighted({ softmax_cross_entropy: 45, mse: 25, binary_cross_entropy: 20, none: 10 });
  const training = loss !== "none";
  const input: Value = { name: rng.pick(["x", "image", "inp", "pixels"]), shape: randomInputShape(rng) };
  // the head of a trained network takes up to four layers (flatten, dense, sigmoid, softmax)
  const b = new Builder(rng, training, training ? rng.int(0, limits.maxLayers - 3) : rng.int(1, limits.maxLayers));
  let current = input;
  while (b.budget.layersLeft > 0) {
    const before = b.budget.layersLeft;
    current =
      rng.chance(0.3) && b.budget.layersLeft >= 2
        ? branch(b, current)
        : b.chain(current, rng.int(1, 4), rng.pick(["h", "features", "block", "stem"]));
    if (b.budget.layersLeft === before) break;
  }
  b.budget.layersLeft = 1;
  const { train } = head(b, current, loss === "none" ? null : loss);
  return {
    seed,
    modelName: `Net${seed}`,
    input,
    bindings: b.bindings,
    outputForm: rng.weighted<OutputForm>({ implicit: 4, binding: 4, reference: 2 }),
    ...(train ? { train } : {}),
    // one optimizer per network: a second model would double the compile time of every case
    optimizers: train ? [rng.chance(0.5) ? randomSgd(rng) : randomAdam(rng)] : [],
  };
}

function randomInputShape(rng: Rng): Dims {
  if (rng.chance(0.1)) return [rng.int(1, 64)];
  // a sequence [length, channels], as audio frames or sensor readings
  if (rng.chance(0.2)) return [rng.int(1, 60), rng.int(1, 12)];
  const h = rng.int(1, 40);
  const w = rng.chance(0.6) ? h : rng.int(1, 40);
  return [h, w, rng.int(1, 8)];
}

/** Two arms from one value merged by add or concat; arms keep the spatial size. */
function branch(b: Builder, from: Value): Value {
  const rng = b.rng;
  const op = rng.chance(0.5) ? "add" : "concat";
  const keep = op === "add" ? from.shape : null;
  const arm = (): Value =>
    b.chain(from, rng.int(1, 2), "branch", (r, shape, budget, training) => armLayer(r, shape, budget, training, keep));
  const first = arm();
  const second = rng.chance(0.3) ? from : arm();
  const inputs = [first, second, ...(rng.chance(0.15) ? [from] : [])];
  const call: MergeCall = b.dress({ op, inputs: inputs.map((v) => v.name) });
  const shape = mergeShape(
    call,
    inputs.map((v) => v.shape),
  );
  if (!shape || product(shape) > limits.maxElements || b.budget.layersLeft < 1) return first;
  b.budget.layersLeft--;
  const merged = b.bind({ kind: "merge", call }, [], shape, op === "add" ? "sum" : "cat");
  return b.budget.layersLeft > 0 && rng.chance(0.5) ? b.chain(merged, 1, "post") : merged;
}

/** A layer for one arm of a merge: same spatial size; for add, same channels too. */
function armLayer(rng: Rng, shape: Dims, budget: Budget, training: boolean, keep: Dims | null): UnaryCall | null {
  for (let attempt = 0; attempt < 8; attempt++) {
    const filters = keep ? keep[keep.length - 1]! : undefined;
    const call =
      shape.length === 3 && rng.chance(0.6)
        ? randomConv(rng, shape, budget, { stride: 1, padding: "same", filters })
        : shape.length === 2 && rng.chance(0.6)
          ? randomConv1d(rng, shape, budget, { stride: 1, padding: rng.chance(0.5) ? "same" : "causal", filters })
          : pickUnary(rng, shape, budget, training);
    const out = call && unaryShape(call, shape);
    if (!call || !out) continue;
    const spatialKept = out.length === shape.length && out.slice(0, -1).every((d, i) => d === shape[i]);
    const channelsKept = !keep || out[out.length - 1] === keep[keep.length - 1];
    if (spatialKept && channelsKept) return call;
  }
  return null;
}

/** The last bindings: what the loss needs (logits, a sigmoid output), and the output. */
function head(b: Builder, from: Value, loss: LossKind | null): { train: Train | null } {
  const rng = b.rng;
  if (loss === null) {
    if (b.bindings.length === 0 || rng.chance(0.3)) b.chain(from, 1, "out");
    return { train: null };
  }
  const vector = loss === "softmax_cross_entropy" || rng.chance(0.7);
  const calls: UnaryCall[] = [];
  let shape = from.shape;
  const push = (call: UnaryCall): void => {
    calls.push(b.dress(call));
    shape = unaryShape(call, shape)!;
  };
  if (vector && shape.length >= 2)
    push(
      product(shape) * 2 <= limits.maxDenseParams && rng.chance(0.6)
        ? { op: "flatten" }
        : { op: rng.pick(["global_avgpool", "global_maxpool"] as const) },
    );
  if (vector)
    push({
      op: "dense",
      units: rng.int(
        loss === "softmax_cross_entropy" ? 2 : 1,
        Math.max(2, Math.min(10, Math.floor(limits.maxDenseParams / product(shape)))),
      ),
      bias: rng.chance(0.9),
    });
  else if (shape.length === 2) push(randomConv1d(rng, shape, b.budget, { stride: 1, padding: "causal" }) ?? { op: "relu" });
  else push(randomConv(rng, shape, b.budget, { stride: 1, padding: "same" }) ?? { op: "relu" });
  if (loss === "binary_cross_entropy") push({ op: "sigmoid" });
  const lossValue = b.bind({ kind: "ref", name: from.name }, calls, shape, loss === "softmax_cross_entropy" ? "logits" : "out");
  if (loss === "softmax_cross_entropy" && rng.chance(0.6))
    b.bind({ kind: "ref", name: lossValue.name }, [b.dress({ op: "softmax" })], shape, "probs");
  return { train: { loss, tensor: lossValue.name } };
}

function randomSgd(rng: Rng): Optimizer {
  const momentum = rng.chance(0.1) ? 0 : rng.pick([0.5, 0.9, 0.9]);
  return {
    kind: "sgd",
    // larger steps make some networks diverge, and float32 noise with them
    lr: rng.pick([0.02, 0.01, 0.005, 0.001]),
    momentum,
    nesterov: momentum > 0 && rng.chance(0.3),
    weightDecay: rng.chance(0.25) ? rng.pick([1e-4, 1e-3, 0.01]) : 0,
  };
}

function randomAdam(rng: Rng): Optimizer {
  return {
    kind: "adam",
    lr: rng.pick([0.01, 0.003, 0.001]),
    beta1: rng.pick([0.9, 0.8]),
    beta2: rng.pick([0.999, 0.99]),
    // Adam's step g / (|g| + eps) magnifies float32 noise in a gradient near eps by up to 1 / eps:
    // with eps 1e-7 a 1e-9 difference between two correct gradients moves a weight by lr / 100
    eps: rng.pick([1e-3, 1e-4, 1e-3]),
    weightDecay: rng.chance(0.25) ? rng.pick([1e-4, 1e-3, 0.01]) : 0,
  };
}
