// The generated module, loaded in the worker: TypeScript's transpileModule strips the types
// (TypeScript is in the bundle already, inside ts-morph), then a blob URL is imported.
import { ts } from "ts-morph";

/** What the worker uses of a compiled classifier (see examples/mnist/model.ts). */
export interface LoadedModel {
  learningRate: number;
  fit(xs: ArrayLike<number>, targets: Uint8Array, n: number, options: object): { history: { epoch: number }[] };
  evaluate(xs: ArrayLike<number>, targets: Uint8Array, n: number): { loss: number; accuracy: number };
  predict(x: ArrayLike<number>): Float32Array;
  predictBatch(xs: ArrayLike<number>, n: number): Float32Array;
  saveWeights(): Uint8Array;
}

export interface LoadedClass {
  new (options?: { seed?: number }): LoadedModel;
  readonly inputSize: number;
  readonly outputSize: number;
}

export function stripTypes(code: string): string {
  const output = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
  });
  return output.outputText;
}

export async function importModule(javascript: string, className: string): Promise<LoadedClass> {
  const url = URL.createObjectURL(new Blob([javascript], { type: "text/javascript" }));
  try {
    const module = (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    const exported = module[className];
    if (typeof exported !== "function") throw new Error(`the generated module exports no class ${className}`);
    return exported as LoadedClass;
  } finally {
    URL.revokeObjectURL(url);
  }
}
