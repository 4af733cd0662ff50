// onnxruntime-web on its WebAssembly backend (the only build 1.30 ships is the SIMD one), one
// thread, no proxy worker. In Node the package resolves to its Node build, which imports its
// Emscripten glue from node_modules; the .wasm binary is read here from node_modules and handed
// over as bytes, so nothing is fetched and no path has to be guessed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { EngineFactory } from "./engine.js";
import { createOrtEngine, type OrtModule } from "./ort.js";

const require = createRequire(import.meta.url);

async function load(): Promise<OrtModule> {
  const ort = await import("onnxruntime-web");
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary ??= readFileSync(require.resolve("onnxruntime-web/ort-wasm-simd-threaded.wasm"));
  return ort;
}

export const createOrtWebEngine: EngineFactory = (spec) =>
  createOrtEngine("ort-web", load, { executionProviders: ["wasm"], graphOptimizationLevel: "all" }, spec);
