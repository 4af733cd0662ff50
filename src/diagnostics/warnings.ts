// Catalog of CNN4xxx diagnostics: warnings. The program compiles, but part of it does nothing
// (a branch that reaches neither the output nor the loss, a dropout that never trains) or
// training cannot change anything. `--deny-warnings` makes them errors.
// Style: lower case, no final period; code in backticks, user-chosen names in single quotes.
import type { Span } from "../source/span.js";
import type { Diagnostic, Note } from "./diagnostic.js";

export const warningCodes = ["CNN4001", "CNN4002", "CNN4003"] as const;

export type WarningCode = (typeof warningCodes)[number];

function warning(code: WarningCode, span: Span, message: string, notes: Note[] = [], help?: string): Diagnostic {
  return help === undefined ? { code, severity: "warning", message, span, notes } : { code, severity: "warning", message, span, notes, help };
}

const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** CNN4001: layers of a binding whose result reaches neither the output nor the loss; they are left out of the module. */
export function deadBinding(span: Span, binding: string, layers: number, params: number, output: { name: string; span: Span }): Diagnostic {
  const what = `${layers} layer${layers === 1 ? "" : "s"}${params > 0 ? ` and ${grouped(params)} parameter${params === 1 ? "" : "s"}` : ""}`;
  return warning(
    "CNN4001",
    span,
    `'${binding}' reaches neither the output nor the loss: its ${what} are left out of the module`,
    [{ message: `the output is '${output.name}'`, span: output.span }],
    `use '${binding}' on the way to the output, or delete it`,
  );
}

/** CNN4002: a loss on a tensor that no parameter influences: training cannot change it. */
export function lossWithoutParameters(span: Span, tensor: string): Diagnostic {
  return warning(
    "CNN4002",
    span,
    `the loss on '${tensor}' does not depend on any parameter: training changes nothing`,
    [],
    "put the loss on a tensor computed by a layer with weights (`conv2d`, `dense`), such as the logits",
  );
}

/** CNN4003: `dropout` in a model without a train section, where it is never active. */
export function dropoutWithoutTraining(span: Span, model: string): Diagnostic {
  return warning(
    "CNN4003",
    span,
    `\`dropout\` only acts in training, and model '${model}' has no \`train\` section: it does nothing`,
    [],
    "remove the dropout, or add a `train { loss ...; optimizer ... }` section",
  );
}
