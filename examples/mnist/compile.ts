// Step 1 of `npm start`: compile examples/lenet.cnn into generated/lenet.ts and load the class.
import { readFileSync, writeFileSync } from "node:fs";
import { compile } from "../../src/index.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";
import { generatedPath, importLeNet, repoPath, sourcePath } from "./files.js";
import type { ClassifierClass } from "./model.js";

/** Compiles the example (the same output that is committed in generated/) and imports it. */
export async function compileLeNet(): Promise<ClassifierClass> {
  const result = await compile(readFileSync(repoPath(sourcePath), "utf8"), { path: sourcePath });
  if (result.code === undefined) throw new Error(renderDiagnostics(result.diagnostics, result.file));
  writeFileSync(repoPath(generatedPath), result.code);
  return importLeNet();
}
