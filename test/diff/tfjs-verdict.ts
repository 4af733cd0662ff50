// What tfjs-layers makes of a network. tfjs does not throw for a window larger than its input:
// it infers a dimension <= 0 and even runs, producing an empty tensor, where TensorFlow's Python
// Keras raises "Negative dimension size". We count such a dimension as tfjs refusing the network.
import type { Network } from "./network.js";
import { buildTfjs } from "./tfjs-model.js";

export type TfjsVerdict =
  | { readonly kind: "throws"; readonly message: string }
  | { readonly kind: "empty"; readonly shape: readonly number[] }
  | { readonly kind: "accepts" };

export function tfjsVerdict(net: Network): TfjsVerdict {
  let built;
  try {
    built = buildTfjs(net);
  } catch (error) {
    return { kind: "throws", message: error instanceof Error ? error.message : String(error) };
  }
  built.model.dispose();
  const empty = built.layerShapes.find((shape) => shape.some((d) => d <= 0));
  return empty ? { kind: "empty", shape: empty } : { kind: "accepts" };
}
