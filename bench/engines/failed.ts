// An engine that could not be built (cnnc --target wasm before the compiler has that target): it
// keeps its row in every table, with the reason as its setup error, instead of vanishing.
import type { Engine } from "./engine.js";

export function failedEngine(name: string, reason: string): Engine {
  const fail = (): never => {
    throw new Error(reason);
  };
  return { name, setup: async () => fail(), activate: async () => {}, trainBatch: fail, predictBatch: fail, dispose() {} };
}
