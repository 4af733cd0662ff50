// Step 1 of `npm start`: compile examples/lenet.cnn into generated/lenet.ts with the same
// function that regenerates the committed generated/ folder, then load the class.
import { writeExample } from "../../scripts/generate.js";
import { importLeNet } from "./files.js";
import type { ClassifierClass } from "./model.js";

export async function compileLeNet(): Promise<ClassifierClass> {
  await writeExample("lenet");
  return importLeNet();
}
