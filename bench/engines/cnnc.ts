// cnnc's generated module behind the engine interface: it already speaks Keras layouts and HWC.
import type { NamedTensor } from "../arch.js";
import { inputSize } from "../arch.js";
import type { GeneratedModel, GeneratedModelClass } from "../cnnc-build.js";
import type { EngineFactory } from "./engine.js";

export function cnncEngineFactory(modelClass: GeneratedModelClass, name = "cnnc"): EngineFactory {
  return (spec) => {
    const size = inputSize(spec.arch);
    let model: GeneratedModel | undefined;

    function built(): GeneratedModel {
      if (!model) throw new Error("cnnc: setup() was not called");
      return model;
    }

    return {
      name,
      async setup(weights: readonly NamedTensor[]) {
        model = new modelClass({ seed: 1 });
        model.setWeights(weights);
      },
      activate: async () => {},
      // Views of exactly n samples: the generated code checks lengths and rejects longer arrays.
      trainBatch: (xs, labels, n) => built().trainBatch(xs.subarray(0, n * size), labels.subarray(0, n), n),
      predictBatch: (xs, n) => built().predictBatch(xs.subarray(0, n * size), n),
      dispose() {},
    };
  };
}
