// binary_cross_entropy(probs): cross-entropy of independent yes/no outputs of a sigmoid.
import { binaryCrossEntropyNeedsSigmoid } from "../../diagnostics/names.js";
import type { LossDef } from "./loss.js";

export const binaryCrossEntropy: LossDef = {
  name: "binary_cross_entropy",
  classifies: true,
  validate(target, state) {
    const producer = state.producerOf(target.id);
    if (producer?.spec.op === "sigmoid") return true;
    state.report(binaryCrossEntropyNeedsSigmoid(target.span, target.written, producer?.spec.op, target.tensor.span));
    return false;
  },
};
