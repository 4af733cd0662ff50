// TensorFlow.js on its WebAssembly backend, SIMD on, threads off, binaries read from node_modules.
import * as tf from "@tensorflow/tfjs-core";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { EngineFactory } from "./engine.js";
import { createTfjsEngine } from "./tfjs-layers.js";

const require = createRequire(import.meta.url);
const wasmDir = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"));

// Flags and paths must be set before the backend first initialises.
tf.env().set("WASM_HAS_SIMD_SUPPORT", true);
tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
setWasmPaths(`${wasmDir}/`);

export const createTfjsWasmEngine: EngineFactory = (spec) => createTfjsEngine("tfjs-wasm", "wasm", spec);
