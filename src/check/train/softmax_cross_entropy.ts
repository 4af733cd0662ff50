// softmax_cross_entropy(logits): fused softmax and cross-entropy over a vector of class scores.
import { crossEntropyOnSoftmax } from "../../diagnostics/names.js";
import { crossEntropyShape } from "../../diagnostics/shapes.js";
import { optional } from "../args/bind.js";
import { numberKind } from "../args/kinds.js";
import { lossSignature, type LossDef } from "./loss.js";

// label smoothing as Keras' CategoricalCrossentropy: a fraction in [0, 1]
const signature = { ...lossSignature, label_smoothing: optional(numberKind({ min: 0, max: 1 }), 0) };

export const softmaxCrossEntropy: LossDef = {
  name: "softmax_cross_entropy",
  classifies: true,
  signature,
  options: (args) => ((args.label_smoothing as number) > 0 ? { labelSmoothing: args.label_smoothing as number } : {}),
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
