// Catalog of CNN9xxx diagnostics: the compiler's own invariants, broken. Each is a bug in cnnc,
// never in the user's program; they are reported like any diagnostic (no stack trace) so the
// user gets the model, the node and what broke, and a way to report it.
import type { Span } from "../source/span.js";
import type { Diagnostic } from "./diagnostic.js";
import { makeError } from "./names.js";

export const internalCodes = ["CNN9001"] as const;

const report = "this is a bug in cnnc, not in your program: please report it with this .cnn file";

/** CNN9001: an IR pass produced a graph that breaks an invariant the later passes rely on. */
export function irInvariantBroken(span: Span, model: string, pass: string, what: string): Diagnostic {
  return makeError("CNN9001", span, `internal compiler error: after ${pass}, the IR of model '${model}' ${what}`, [], report);
}
