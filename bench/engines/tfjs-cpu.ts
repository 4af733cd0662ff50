// TensorFlow.js on its pure-JavaScript `cpu` backend (single thread by construction).
import "@tensorflow/tfjs-backend-cpu";
import type { EngineFactory } from "./engine.js";
import { createTfjsEngine } from "./tfjs-layers.js";

export const createTfjsCpuEngine: EngineFactory = (spec) => createTfjsEngine("tfjs-cpu", "cpu", spec);
