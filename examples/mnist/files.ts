// Where the MNIST example reads and writes, and how it loads the compiled class.
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ClassifierClass } from "./model.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The networks `npm start -- --model M` trains: an example's base name and its class. */
export const mnistModels = {
  lenet: { example: "lenet", className: "LeNet" },
  bn: { example: "digits-bn", className: "DigitsBN" },
} as const;
export type MnistModelKey = keyof typeof mnistModels;
export type MnistModel = (typeof mnistModels)[MnistModelKey];

export const sourcePathOf = (m: MnistModel): string => `examples/${m.example}.cnn`;
export const generatedPathOf = (m: MnistModel, target: "ts" | "wasm" = "ts"): string => `generated/${m.example}${target === "wasm" ? ".wasm" : ""}.ts`;
export const weightsPathOf = (m: MnistModel): string => `generated/${m.example}.safetensors`;
export const curvesPathOf = (m: MnistModel): string => `generated/${m.example}-training.svg`;

// LeNet's, which examples/predict.ts and the tests read
export const sourcePath = sourcePathOf(mnistModels.lenet);
export const generatedPath = generatedPathOf(mnistModels.lenet);
export const weightsPath = weightsPathOf(mnistModels.lenet);
export const curvesPath = curvesPathOf(mnistModels.lenet);

/** A repository-relative path made absolute, so the scripts work from any directory. */
export function repoPath(relative: string): string {
  return root + relative;
}

/** The compiled class from a generated module (run under tsx, which imports TypeScript directly). */
export async function importModel(m: MnistModel, path = generatedPathOf(m)): Promise<ClassifierClass> {
  const module = (await import(pathToFileURL(repoPath(path)).href)) as Record<string, unknown>;
  const Model = module[m.className];
  if (typeof Model !== "function") throw new Error(`${path} exports no class ${m.className}`);
  return Model as ClassifierClass;
}

/** LeNet's class from generated/lenet.ts (or the module at `path`). */
export async function importLeNet(path = generatedPath): Promise<ClassifierClass> {
  return importModel(mnistModels.lenet, path);
}
