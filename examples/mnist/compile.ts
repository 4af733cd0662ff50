// Step 1 of `npm start`: compile the model's example (examples/lenet.cnn by default) into
// generated/ with the same function that regenerates the committed generated/ folder, then load
// the class.
import { writeExample } from "../../scripts/generate.js";
import { generatedPathOf, importModel, type MnistModel } from "./files.js";
import type { ClassifierClass } from "./model.js";

/** `target` wasm writes generated/<example>.wasm.ts instead. */
export async function compileModel(model: MnistModel, target: "ts" | "wasm" = "ts"): Promise<ClassifierClass> {
  await writeExample(model.example, target);
  return importModel(model, generatedPathOf(model, target));
}
