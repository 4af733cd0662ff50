// Catalog of the diagnostics about what a target can build (CNN3090-): a combination of options
// the chosen target refuses, said before any code is generated.
// Style as shapes.ts: lower case, no final period, code in backticks.
import type { Span } from "../source/span.js";
import type { Diagnostic } from "./diagnostic.js";
import { makeError } from "./names.js";

export const targetCodes = ["CNN3090", "CNN3091", "CNN9090"] as const;

/** CNN3090: --readable with --target wasm. The readable build is TypeScript for people to read;
 *  the wasm target's kernels are bytes, so there is nothing readable to print. */
export function readableWasm(span: Span, model: string): Diagnostic {
  return makeError(
    "CNN3090",
    span,
    `the readable build (\`--readable\`) has no WebAssembly form: the kernels of '${model}' would be bytes, not code to read`,
    [],
    "drop `--readable` for the WebAssembly module, or build the readable TypeScript with `--target ts`",
  );
}

/** CNN3091: --target wasm for a model that trains layer-major (a batchnorm on the loss's path).
 *  Its training arena grows with the batch, and the wasm module's memory layout is fixed when
 *  it is built: not supported yet, so said instead of computed wrongly. */
export function layerMajorWasm(span: Span, model: string, layer: string): Diagnostic {
  return makeError(
    "CNN3091",
    span,
    `the WebAssembly target cannot train '${model}' yet: its batch norm \`${layer}\` needs the whole batch in memory while training, and the wasm module's memory does not grow with the batch`,
    [],
    "train it with `--target ts` (the default), or compile an inference-only model (no `train` section) for `--target wasm`",
  );
}

/** CNN9090: the WebAssembly module binaryen built does not validate: a bug in the wasm printer. */
export function wasmInvalid(span: Span, model: string): Diagnostic {
  return makeError("CNN9090", span, `internal compiler error: the WebAssembly module of model '${model}' does not validate`, [], "this is a bug in cnnc, not in your program: please report it with this .cnn file");
}
