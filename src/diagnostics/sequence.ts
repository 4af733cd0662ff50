// Catalog of the diagnostics of sequences and their ops (conv1d, the pools along a sequence):
// CNN2090-2099 for arguments, CNN3080-3089 for shapes, kept in one file beside the others.
// Style: lower case, no final period; code in backticks, user-chosen names in single quotes.
import type { Span } from "../source/span.js";
import type { Diagnostic } from "./diagnostic.js";
import { makeError } from "./names.js";
import { formatShape, originNote, type TensorOrigin } from "./shapes.js";

export const sequenceCodes = ["CNN2090", "CNN3080", "CNN3081"] as const;

export type SequenceCode = (typeof sequenceCodes)[number];

const code = (text: string): string => `\`${text}\``;

/** CNN2090: `padding: causal` on an op that does not slide along a sequence. */
export function causalNotSequence(span: Span, where: string): Diagnostic {
  const message = `${where} cannot be ${code("causal")}: causal padding is for ${code("conv1d")} on a sequence`;
  return makeError("CNN2090", span, message, [], `use ${code("valid")}, ${code("same")} or an explicit padding`);
}

/** CNN3080: a window argument with two different sides on a pool along a sequence. */
export function pairOnSequence(span: Span, op: string, arg: string, pair: readonly [number, number]): Diagnostic {
  const message = `${code(arg)} of ${code(op)} is ${formatShape(pair)}, but along a sequence it is one integer`;
  return makeError("CNN3080", span, message, [], `a sequence [length, channels] has one axis to slide along: write ${code(`${arg}: ${pair[1]}`)}`);
}

/** CNN3081: `groups` that does not divide the input channels or the filters. */
export function indivisibleGroups(span: Span, op: string, groups: number, what: "input channels" | "filters", count: number, input: TensorOrigin): Diagnostic {
  const message = `${code(op)} has ${groups} groups, which do not divide its ${count} ${what}`;
  const notes = what === "input channels" ? [originNote(input)] : [];
  return makeError("CNN3081", span, message, notes, `both the input channels and ${code("filters")} must be multiples of ${code("groups")}`);
}
