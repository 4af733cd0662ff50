// tfjs' avgPool gradient with `same` padding divides every cell by the full window size, while
// its forward pass (like TensorFlow's) divides by the real cells only: the gradient is wrong at
// the borders. For gradients the oracle computes the same pool as
// avgPool_valid(zero-padded x) / avgPool_valid(zero-padded ones), whose gradient tfjs gets right.
import * as tf from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";

type Pair = readonly [number, number];

/** TensorFlow's `same` padding for one axis: the extra cell goes after. */
export function samePadding(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export class ExactSameAvgPool extends tfl.layers.Layer {
  static readonly className = "ExactSameAvgPool";

  constructor(
    private readonly size: Pair,
    private readonly stride: Pair,
  ) {
    super({});
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [batch, h, w, c] = inputShape as (number | null)[];
    return [batch ?? null, Math.ceil(h! / this.stride[0]), Math.ceil(w! / this.stride[1]), c ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const [, h, w] = x.shape;
    const pads: [number, number][] = [
      [0, 0],
      samePadding(h, this.size[0], this.stride[0]),
      samePadding(w, this.size[1], this.stride[1]),
      [0, 0],
    ];
    const pool = (t: tf.Tensor4D): tf.Tensor4D =>
      tf.avgPool(tf.pad(t, pads), [this.size[0], this.size[1]], [this.stride[0], this.stride[1]], "valid");
    const cells = pool(tf.ones([1, h, w, 1]) as tf.Tensor4D);
    return tf.div(pool(x), cells);
  }
}
