// softmax_cross_entropy(logits): fused softmax and cross-entropy over a vector of class scores.
import { crossEntropyOnSoftmax } from "../../diagnostics/names.js";
import { crossEntropyShape } from "../../diagnostics/shapes.js";
import type { LossDef } from "./loss.js";

export const softmaxCrossEntropy: LossDef = {
  name: "softmax_cross_entropy",
  validate(target, state) {
    const producer = state.producerOf(target.id);
    // the loss applies softmax itself; a second one would flatten the gradient
    if (producer?.spec.op === "softmax") {
      const logits = state.tensor(producer.inputs[0]!).name;
      state.report(crossEntropyOnSoftmax(target.span, target.written, producer.span, logits));
      return false;
    }
    const shape = target.tensor.shape;
    if (shape.length === 1 && shape[0]! >= 2) return true;
    state.report(crossEntropyShape(target.span, { ...state.origin(target.id), name: target.written }));
    return false;
  },
};
