// onnxruntime-node: ONNX Runtime's native CPU build as a Node addon (the library ships inside the
// npm package; its install script would only fetch GPU libraries, and .ci/run skips it with
// ONNXRUNTIME_NODE_INSTALL=skip). A reference row: native code, Node only, no training. One
// intra-op and one inter-op thread, sequential execution, like every other engine here.
import type { EngineFactory } from "./engine.js";
import { createOrtEngine, type OrtModule } from "./ort.js";

async function load(): Promise<OrtModule> {
  return await import("onnxruntime-node");
}

export const createOrtNodeEngine: EngineFactory = (spec) =>
  createOrtEngine("ort-node", load, { executionProviders: ["cpu"], intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: "sequential", graphOptimizationLevel: "all" }, spec);
