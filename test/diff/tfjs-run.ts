// Running the tfjs oracle: forward pass, loss from its textbook definition, gradients by
// tf.variableGrads, and optimizer steps by tf.train.momentum / tf.train.adam.
import * as tf from "@tensorflow/tfjs-core";
import type * as tfl from "@tensorflow/tfjs-layers";
import { hasBatchnorm, type Network, type Optimizer, type LossKind } from "./network.js";
import type { BatchnormRole, TfjsNetwork } from "./tfjs-model.js";
import { expandKernel, readTaps, type Taps } from "./dilation.js";

export interface NamedArray {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A parameter of the tfjs model under cnnc's name. */
interface TfjsParam {
  readonly name: string;
  readonly variable: tf.Variable;
  /** a dilated conv's kernel, held expanded */
  readonly taps?: Taps;
  /** not trainable: a batch norm's moving statistics (tfjs updates them in a training call) */
  readonly state?: boolean;
}

export function tfjsParams(t: TfjsNetwork): TfjsParam[] {
  const out: TfjsParam[] = [];
  for (const [layerName, layer] of t.paramLayers) {
    const norms = t.normRoles.get(layerName);
    if (norms) {
      out.push(...batchnormParams(layerName, layer, norms));
      continue;
    }
    // kernel then bias; a separable conv's depthwise kernel, pointwise kernel, then bias
    const roles = t.roles.get(layerName) ?? ["kernel", "bias"];
    const taps = t.dilated.get(layerName);
    layer.trainableWeights.forEach((w, i) => {
      const variable = w.read() as tf.Variable;
      // a dilated kernel is the layer's first weight (a separable conv's depthwise kernel)
      out.push({ name: `${layerName}.${roles[i]}`, variable, ...(i === 0 && taps ? { taps } : {}) });
    });
  }
  return out;
}

/** The batch norm's weights cnnc has, of gamma, beta, moving_mean, moving_variance (Keras'
 *  order, and tfjs' order of a BatchNormalization layer's four weights). */
function batchnormParams(layerName: string, layer: tfl.layers.Layer, roles: readonly BatchnormRole[]): TfjsParam[] {
  const all: BatchnormRole[] = ["gamma", "beta", "moving_mean", "moving_variance"];
  const weights = layer.weights;
  if (weights.length !== all.length) throw new Error(`batch norm ${layerName} has ${weights.length} weights, expected 4`);
  return roles.map((role) => ({ name: `${layerName}.${role}`, variable: weights[all.indexOf(role)]!.read() as tf.Variable, ...(role.startsWith("moving_") ? { state: true } : {}) }));
}

/** Write cnnc's weights into the tfjs variables of the same names. */
export function loadWeights(params: readonly TfjsParam[], weights: readonly NamedArray[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  // tidy: the variables keep the values, the temporary tensors go
  tf.tidy(() => {
    for (const p of params) {
      const w = byName.get(p.name);
      if (!w) throw new Error(`cnnc has no weight named ${p.name}`);
      const data = p.taps ? expandKernel(w.data, p.taps) : Float32Array.from(w.data);
      p.variable.assign(tf.tensor(data, p.variable.shape, "float32"));
    }
  });
}

/** The parameter values (or gradients) in cnnc's layout: a dilated kernel's taps only. */
function real(p: TfjsParam, data: Float32Array): Float32Array {
  return p.taps ? readTaps(data, p.taps) : data;
}

/** Gradients as lossAndGradients returns them (expanded kernels), in cnnc's layout. */
export function realGradients(params: readonly TfjsParam[], grads: Map<string, Float32Array>): Map<string, Float32Array> {
  return new Map(params.map((p) => [p.name, real(p, grads.get(p.name)!)]));
}

export function readWeights(params: readonly TfjsParam[]): Map<string, Float32Array> {
  return new Map(params.map((p) => [p.name, real(p, p.variable.dataSync() as Float32Array)]));
}

/** Zero an expanded kernel between its taps again, so it stays a dilated kernel after a step. */
function restoreGaps(params: readonly TfjsParam[]): void {
  tf.tidy(() => {
    for (const p of params) {
      if (p.taps) p.variable.assign(tf.tensor(expandKernel(readTaps(p.variable.dataSync(), p.taps), p.taps), p.variable.shape));
    }
  });
}

/** The model's outputs for a batch: [output, loss tensor] (the same tensor twice if they are). */
function run(t: TfjsNetwork, xs: Float32Array, n: number, inputShape: readonly number[], training = false): tf.Tensor[] {
  const x = tf.tensor(xs, [n, ...inputShape]);
  const out = t.model.apply(x, { training });
  const list = (Array.isArray(out) ? out : [out]) as tf.Tensor[];
  return [list[0]!, list[t.lossOutput]!];
}

export function forward(t: TfjsNetwork, net: Network, xs: Float32Array, n: number): Float32Array {
  const y = tf.tidy(() => run(t, xs, n, net.input.shape)[0]!);
  const data = y.dataSync() as Float32Array;
  y.dispose();
  return data;
}

/** Mean loss over the batch, by definition; `targets` are dense (one-hot or values), n * size.
 * Binary cross-entropy takes the logits z: max(z, 0) - z t + log(1 + exp(-|z|)) stays finite
 * where the sigmoid saturates to 1 in float32 and log(1 - p) would be -Infinity. */
export function lossOf(kind: LossKind, y: tf.Tensor, targets: tf.Tensor): tf.Scalar {
  const n = y.shape[0]!;
  if (kind === "softmax_cross_entropy") {
    const logits = tf.reshape(y, [n, -1]);
    return tf.div(tf.neg(tf.sum(tf.mul(tf.reshape(targets, logits.shape), tf.logSoftmax(logits)))), n);
  }
  if (kind === "mse") return tf.mean(tf.squaredDifference(y, targets));
  const t = tf.reshape(targets, y.shape);
  return tf.mean(tf.add(tf.sub(tf.relu(y), tf.mul(y, t)), tf.log1p(tf.exp(tf.neg(tf.abs(y)))))) as tf.Scalar;
}

export function lossAndGradients(
  t: TfjsNetwork,
  net: Network,
  params: readonly TfjsParam[],
  xs: Float32Array,
  targets: Float32Array,
  n: number,
): { loss: number; grads: Map<string, Float32Array> } {
  const train = net.train;
  if (!train) throw new Error("network has no train section");
  // a batch norm normalises with the batch's statistics in training (dropout's rate is 0 in
  // every training network, so only batch norms see the flag), and tfjs then updates the
  // moving statistics once, as cnnc's trainBatch does
  const training = hasBatchnorm(net);
  const trainable = params.filter((p) => !p.state);
  const [value, ...grads] = tf.tidy(() => {
    const f = (): tf.Scalar => {
      const y = run(t, xs, n, net.input.shape, training)[1]!;
      return lossOf(train.loss, y, tf.tensor(targets, y.shape));
    };
    // tfjs refuses to differentiate with respect to nothing: a network may have no parameters
    if (trainable.length === 0) return [f(), ...params.map((p) => tf.zerosLike(p.variable))];
    const result = tf.variableGrads(
      f,
      trainable.map((p) => p.variable),
    );
    // the state has no gradient: cnnc lists zeros for it
    return [result.value, ...params.map((p) => (p.state ? tf.zerosLike(p.variable) : (result.grads[p.variable.name] ?? tf.zerosLike(p.variable))))];
  });
  const loss = value!.dataSync()[0]!;
  const byName = new Map(params.map((p, i) => [p.name, grads[i]!.dataSync() as Float32Array]));
  tf.dispose([value!, ...grads]);
  return { loss, grads: byName };
}

/** One tfjs optimizer across steps. Weight decay is decoupled as Keras applies it:
 * `w -= lr * wd * w` before the optimizer's step. */
export class Stepper {
  private readonly opt: tf.Optimizer;

  constructor(
    private readonly t: TfjsNetwork,
    private readonly net: Network,
    private readonly params: readonly TfjsParam[],
    private readonly optimizer: Optimizer,
  ) {
    const o = optimizer;
    this.opt = o.kind === "sgd" ? tf.train.momentum(o.lr, o.momentum, o.nesterov) : tf.train.adam(o.lr, o.beta1, o.beta2, o.eps);
  }

  /** One step on a batch from the current weights; `known` is this batch's loss and gradients
   * when already computed (tfjs' gradients are slow); `given` replaces tfjs' gradients of the
   * parameters it names (undilated ones) in the step. Returns the loss and tfjs' own gradients. */
  step(
    b: { xs: Float32Array; targets: Float32Array; n: number },
    known?: { loss: number; grads: Map<string, Float32Array> },
    given?: ReadonlyMap<string, Float32Array>,
  ): { loss: number; grads: Map<string, Float32Array> } {
    const { loss, grads } = known ?? lossAndGradients(this.t, this.net, this.params, b.xs, b.targets, b.n);
    const { lr, weightDecay } = this.optimizer;
    tf.tidy(() => {
      const trainable = this.params.filter((p) => !p.state);
      if (weightDecay !== 0) for (const p of trainable) p.variable.assign(tf.sub(p.variable, tf.mul(p.variable, lr * weightDecay)));
      const gradient = (p: TfjsParam): Float32Array => given?.get(p.name) ?? grads.get(p.name)!;
      const named = trainable.map((p) => ({ name: p.variable.name, tensor: tf.tensor(gradient(p), p.variable.shape) }));
      if (named.length > 0) this.opt.applyGradients(named);
    });
    restoreGaps(this.params);
    return { loss, grads };
  }

  dispose(): void {
    this.opt.dispose();
  }
}
