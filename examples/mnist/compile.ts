// Step 1 of `npm start`: compile examples/lenet.cnn into generated/lenet.ts with the same
// function that regenerates the committed generated/ folder, then load the class.
import { writeExample } from "../../scripts/generate.js";
import { generatedPathFor, importLeNet } from "./files.js";
import type { ClassifierClass } from "./model.js";

/** `target` wasm writes generated/lenet.wasm.ts (also committed) instead. */
export async function compileLeNet(target: "ts" | "wasm" = "ts"): Promise<ClassifierClass> {
  await writeExample("lenet", target);
  return importLeNet(generatedPathFor(target));
}
