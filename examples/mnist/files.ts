// Where the MNIST example reads and writes, and how it loads the compiled class.
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ClassifierClass } from "./model.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
export const sourcePath = "examples/lenet.cnn";
export const generatedPath = "generated/lenet.ts";
export const generatedPathFor = (target: "ts" | "wasm"): string => (target === "wasm" ? "generated/lenet.wasm.ts" : generatedPath);
export const weightsPath = "generated/lenet.safetensors";
export const curvesPath = "generated/lenet-training.svg";

/** A repository-relative path made absolute, so the scripts work from any directory. */
export function repoPath(relative: string): string {
  return root + relative;
}

/** The compiled class from generated/lenet.ts (run under tsx, which imports TypeScript directly). */
export async function importLeNet(path = generatedPath): Promise<ClassifierClass> {
  const module = (await import(pathToFileURL(repoPath(path)).href)) as Record<string, unknown>;
  const LeNet = module["LeNet"];
  if (typeof LeNet !== "function") throw new Error(`${path} exports no class LeNet`);
  return LeNet as ClassifierClass;
}
