// Catalog of the diagnostics about what a target can build (CNN3090-): a combination of options
// the chosen target refuses, said before any code is generated.
// Style as shapes.ts: lower case, no final period, code in backticks.
import type { Span } from "../source/span.js";
import type { Diagnostic } from "./diagnostic.js";
import { makeError } from "./names.js";

// CNN3091 is retired: it refused to train a batch-norm model on the wasm target, whose memory
// now grows with the batch. Codes are never reused.
export const targetCodes = ["CNN3090", "CNN9090"] as const;

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

/** CNN9090: the WebAssembly module binaryen built does not validate: a bug in the wasm printer. */
export function wasmInvalid(span: Span, model: string): Diagnostic {
  return makeError("CNN9090", span, `internal compiler error: the WebAssembly module of model '${model}' does not validate`, [], "this is a bug in cnnc, not in your program: please report it with this .cnn file");
}
