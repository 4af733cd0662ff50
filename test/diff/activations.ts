// The second wave's activations where tfjs lacks them or defines them otherwise, as tfjs layers
// built from ops whose values and gradients tfjs gets right: hard_sigmoid (tfjs' is 0.2x + 0.5,
// LANGUAGE.md's is PyTorch's x / 6 + 0.5), hard_swish (absent) and elu with an alpha other than
// 1 (tfjs' ELU layer refuses one). relu6, elu, selu, softplus, swish, gelu (erf) and gelu_new
// (the tanh form) are tfjs' own.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

const hardSigmoid = (x: tf.Tensor): tf.Tensor => tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1);

const definitions = {
  hard_sigmoid: hardSigmoid,
  hard_swish: (x: tf.Tensor): tf.Tensor => tf.mul(x, hardSigmoid(x)),
  // relu(x) + alpha elu(min(x, 0)): exp never sees a positive x, so no Infinity meets a zero
  // gradient (which would make a NaN)
  elu: (x: tf.Tensor, alpha: number): tf.Tensor => tf.add(tf.relu(x), tf.mul(tf.elu(tf.minimum(x, 0)), alpha)),
} as const;

export class DefinedActivation extends tfl.layers.Layer {
  static readonly className = "DefinedActivation";

  constructor(
    private readonly op: keyof typeof definitions,
    private readonly alpha = 1,
  ) {
    super({});
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return inputShape as tfl.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return definitions[this.op](Array.isArray(inputs) ? inputs[0]! : inputs, this.alpha);
  }
}
