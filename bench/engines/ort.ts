// ONNX Runtime behind the engine interface: the benchmark network written as an ONNX model from
// the same weights (bench/onnx/model.ts), one inference session for every batch size. ONNX
// Runtime's JavaScript packages have no training API, so the training cells fail with that reason.
import type { InferenceSession, Tensor } from "onnxruntime-common";
import { inputSize } from "../arch.js";
import { inputName, onnxModel, outputName } from "../onnx/model.js";
import type { Engine, ModelSpec } from "./engine.js";

/** What onnxruntime-web and onnxruntime-node share: both re-export onnxruntime-common's API. */
export interface OrtModule {
  readonly InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  readonly Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => Tensor;
}

export const noTraining = "onnxruntime's npm packages have no training API";

export function createOrtEngine(name: string, load: () => Promise<OrtModule>, options: InferenceSession.SessionOptions, spec: ModelSpec): Engine {
  const [h, w, c] = spec.arch.inputShape;
  const size = inputSize(spec.arch);
  let ort: OrtModule | undefined;
  let session: InferenceSession | undefined;

  return {
    name,
    asynchronous: true,
    async setup(weights) {
      ort = await load();
      session = await ort.InferenceSession.create(onnxModel(spec.arch, weights), options);
    },
    activate: async () => {},
    trainBatch() {
      throw new Error(noTraining);
    },
    // The input tensor wraps the caller's samples (no copy); the output is the session's own array.
    async predictBatch(xs, n) {
      if (!ort || !session) throw new Error(`${name}: setup() was not called`);
      const input = new ort.Tensor("float32", xs.subarray(0, n * size), [n, h, w, c]);
      const outputs = await session.run({ [inputName]: input });
      const probs = outputs[outputName];
      if (!probs) throw new Error(`${name}: the session returned no '${outputName}'`);
      return probs.data as Float32Array;
    },
    dispose() {
      void session?.release();
    },
  };
}
