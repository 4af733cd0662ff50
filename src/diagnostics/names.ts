// Catalog of CNN2xxx diagnostics: names, op signatures and argument values.
// Style: lower case, no final period; code in backticks, user-chosen names in single quotes.
import type { Span } from "../source/span.js";
import type { Diagnostic, Note } from "./diagnostic.js";

export const nameCodes = [
  "CNN2001",
  "CNN2002",
  "CNN2003",
  "CNN2004",
  "CNN2005",
  "CNN2006",
  "CNN2007",
  "CNN2008",
  "CNN2009",
  "CNN2010",
  "CNN2011",
  "CNN2012",
  "CNN2013",
  "CNN2014",
  "CNN2015",
  "CNN2016",
  "CNN2017",
  "CNN2018",
  "CNN2019",
  "CNN2020",
  "CNN2021",
  "CNN2022",
  "CNN2023",
  "CNN2024",
  "CNN2025",
  "CNN2026",
  "CNN2027",
  "CNN2028",
  "CNN2029",
  "CNN2030",
  "CNN2031",
  "CNN2032",
  "CNN2033",
  "CNN2034",
  "CNN2080",
  "CNN2081",
] as const;

export type NameCode = (typeof nameCodes)[number];

/** Shared by both catalogs: one error with optional notes and help. */
export function makeError(code: string, span: Span, message: string, notes: Note[] = [], help?: string): Diagnostic {
  return help === undefined ? { code, severity: "error", message, span, notes } : { code, severity: "error", message, span, notes, help };
}

const code = (text: string): string => `\`${text}\``;
const user = (name: string): string => `'${name}'`;
const codeList = (items: readonly string[]): string => items.map(code).join(", ");
const didYouMean = (s: string): string => `did you mean ${code(s)}?`;

/** How messages name an argument: "`filters` of `conv2d`". */
export function argumentWhere(arg: string, callee: string): string {
  return `${code(arg)} of ${code(callee)}`;
}

/** How messages name an op's tensor arguments: "`add`". */
export function opWhere(op: string): string {
  return code(op);
}

/** As much of a written value as messages quote (the AST's values have this shape; the catalog
 *  does not import the syntax phase). */
export type WrittenValue =
  | { readonly kind: "number"; readonly text: string }
  | { readonly kind: "name"; readonly name: string }
  | { readonly kind: "shape"; readonly dims: readonly { readonly text: string }[] }
  | { readonly kind: "call"; readonly callee: { readonly name: string } };

/** A written value as messages quote it: `2.5`, `same`, `[3, 3]`, a call to `step`. */
export function foundValue(value: WrittenValue): string {
  switch (value.kind) {
    case "number":
      return code(value.text);
    case "name":
      return code(value.name);
    case "shape":
      return code(`[${value.dims.map((d) => d.text).join(", ")}]`);
    case "call":
      return `a call to ${code(value.callee.name)}`;
  }
}

/** "at least 0 and less than 1", "greater than 0", "at most 9007199254740991" */
export function rangeText(range: {
  readonly min?: number;
  readonly minOpen?: boolean;
  readonly max?: number;
  readonly maxOpen?: boolean;
}): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.minOpen ? "greater than" : "at least"} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.maxOpen ? "less than" : "at most"} ${range.max}`);
  return parts.join(" and ");
}

/** CNN2001: unknown op; suggests the closest op name. */
export function unknownOp(span: Span, name: string, suggestion: string | undefined, ops: readonly string[], isTensor: boolean): Diagnostic {
  let help = `the ops are ${codeList(ops)}`;
  if (isTensor)
    help = `${user(name)} is a tensor; to combine it with this one write ${code(`|> add(${name})`)} or ${code(`|> concat(${name})`)}`;
  if (suggestion !== undefined) help = didYouMean(suggestion);
  return makeError("CNN2001", span, `unknown op ${code(name)}`, [], help);
}

/** CNN2002: unknown tensor name; suggests the closest bound name. */
export function unknownTensor(span: Span, name: string, suggestion: string | undefined, isOp: boolean): Diagnostic {
  let help: string | undefined;
  if (isOp) help = `${code(name)} is an op; a pipeline starts at a tensor, as in ${code(`x |> ${name}`)}`;
  if (suggestion !== undefined) help = `did you mean ${user(suggestion)}?`;
  return makeError("CNN2002", span, `unknown tensor ${user(name)}`, [], help);
}

/** CNN2003: a tensor used before the statement that binds it. */
export function usedBeforeBound(span: Span, name: string, boundAt: Span): Diagnostic {
  const notes = [{ message: `${user(name)} is bound here, later`, span: boundAt }];
  return makeError(
    "CNN2003",
    span,
    `${user(name)} is used before it is bound`,
    notes,
    "a name must be bound before the statement that uses it",
  );
}

/** CNN2004: a name defined twice in one model. */
export function duplicateName(span: Span, name: string, first: Span): Diagnostic {
  const notes = [{ message: `${user(name)} is first defined here`, span: first }];
  return makeError("CNN2004", span, `${user(name)} is already defined in this model`, notes, "give one of them another name");
}

/** CNN2005: a model name used twice in one file. */
export function duplicateModel(span: Span, name: string, first: Span): Diagnostic {
  const notes = [{ message: `the first model ${user(name)} is here`, span: first }];
  return makeError("CNN2005", span, `model ${user(name)} is already defined in this file`, notes, "give one of them another name");
}

/** CNN2006: a model name that is a reserved word, would shadow a global, or means something to
 *  the module system as an export name. */
export function reservedModelName(span: Span, name: string, reason: "reserved" | "global" | "module"): Diagnostic {
  const why =
    reason === "reserved"
      ? "it is a reserved word in TypeScript"
      : reason === "module"
        ? `an export named ${code(name)} changes how the generated module is imported (an exported \`then\` makes \`await import()\` call it)`
        : `it would shadow the global ${code(name)} in the generated module`;
  const help = `the model becomes an exported class of the same name; rename it, e.g. ${user(`${name}Net`)}`;
  return makeError("CNN2006", span, `${user(name)} cannot be a model name: ${why}`, [], help);
}

/** CNN2007: an argument name the op, loss, optimizer or schedule does not have. */
export function unknownArgument(
  span: Span,
  arg: string,
  callee: string,
  suggestion: string | undefined,
  known: readonly string[],
): Diagnostic {
  let help = known.length === 0 ? `${code(callee)} takes no named arguments` : `its arguments are ${codeList(known)}`;
  if (suggestion !== undefined) help = didYouMean(suggestion);
  return makeError("CNN2007", span, `${code(callee)} has no argument ${code(arg)}`, [], help);
}

/** CNN2008: the same argument given twice. */
export function duplicateArgument(span: Span, arg: string, callee: string, first: Span): Diagnostic {
  const notes = [{ message: `${code(arg)} is first given here`, span: first }];
  return makeError("CNN2008", span, `argument ${code(arg)} of ${code(callee)} is given twice`, notes);
}

/** CNN2009: a positional argument after a named one. */
export function positionalAfterNamed(span: Span, callee: string): Diagnostic {
  const help = "name this argument too, or move it before the named ones";
  return makeError("CNN2009", span, `positional argument after a named argument in ${code(callee)}`, [], help);
}

/** CNN2010: more positional arguments than the call takes. */
export function tooManyArguments(span: Span, callee: string, names: readonly string[]): Diagnostic {
  if (names.length === 0) return makeError("CNN2010", span, `${code(callee)} takes no arguments`, [], `remove the arguments`);
  const message = `too many arguments: ${code(callee)} takes at most ${names.length}`;
  return makeError("CNN2010", span, message, [], `its arguments, in order, are ${codeList(names)}`);
}

/** CNN2011: a required argument is missing. */
export function missingArgument(span: Span, arg: string, callee: string, expected: string): Diagnostic {
  return makeError("CNN2011", span, `${code(callee)} needs the argument ${code(arg)}`, [], `pass ${code(arg)}, ${expected}`);
}

/** CNN2012: a value of the wrong kind (an integer, a number, `true`/`false`, a pair, a tensor name, ...). */
export function wrongKind(span: Span, where: string, expected: string, found: string): Diagnostic {
  return makeError("CNN2012", span, `expected ${expected} for ${where}, found ${found}`);
}

/** CNN2013: an unknown name among fixed choices (`padding: vaild`, `bias: ture`, `schedule: linear`). */
export function unknownValue(span: Span, where: string, found: string, expected: string, suggestion: string | undefined): Diagnostic {
  const help = suggestion === undefined ? `expected ${expected}` : didYouMean(suggestion);
  return makeError("CNN2013", span, `unknown value ${code(found)} for ${where}`, [], help);
}

/** CNN2014: a value out of its range (`filters: 0`, `rate: 1`, `lr: 0`, ...). */
export function outOfRange(span: Span, where: string, range: string, found: string): Diagnostic {
  return makeError("CNN2014", span, `${where} must be ${range}, found ${code(found)}`);
}

/** CNN2015: a single-input op used as a pipeline source instead of through `|>`. */
export function opNeedsPipe(span: Span, op: string, rewrite: string | undefined): Diagnostic {
  const help = rewrite === undefined ? `feed its input with ${code("|>")}, as in ${code(`x |> ${op}`)}` : `write ${code(rewrite)}`;
  return makeError("CNN2015", span, `${code(op)} takes its input through ${code("|>")}, not as an argument`, [], help);
}

/** CNN2016: `add` or `concat` with fewer than two tensors. */
export function needsTwoTensors(span: Span, op: string, count: number): Diagnostic {
  const help = `write ${code(`${op}(a, b)`)} or ${code(`a |> ${op}(b)`)}`;
  return makeError("CNN2016", span, `${code(op)} needs two or more tensors, found ${count}`, [], help);
}

/** CNN2017: a model without `input`. */
export function noInput(span: Span, model: string): Diagnostic {
  return makeError("CNN2017", span, `model ${user(model)} has no input`, [], `declare one, e.g. ${code("input image: [28, 28, 1]")}`);
}

/** CNN2018: a second `input` (not supported yet). */
export function severalInputs(span: Span, first: Span): Diagnostic {
  const notes = [{ message: "the first input is declared here", span: first }];
  return makeError("CNN2018", span, "a model with several inputs is not supported yet", notes, "keep one input per model");
}

/** CNN2019: a second `output` (not supported yet). */
export function severalOutputs(span: Span, first: Span): Diagnostic {
  const notes = [{ message: "the first output is declared here", span: first }];
  const help = "keep one `output`; bind the other tensors with plain bindings";
  return makeError("CNN2019", span, "a model with several outputs is not supported yet", notes, help);
}

/** CNN2020: a model without bindings. */
export function noBinding(span: Span, model: string): Diagnostic {
  const help = `bind a tensor to a pipeline, e.g. ${code("logits = image |> flatten |> dense(10)")}`;
  return makeError("CNN2020", span, `model ${user(model)} has no bindings`, [], help);
}

/** CNN2021: a layer name used twice. */
export function duplicateLayerName(span: Span, name: string, first: Span): Diagnostic {
  const notes = [{ message: `the layer ${user(name)} is here`, span: first }];
  return makeError("CNN2021", span, `layer name ${user(name)} is already used`, notes, `choose another name after ${code("as")}`);
}

/** CNN2022: a train section without `loss`. */
export function missingLoss(span: Span): Diagnostic {
  return makeError(
    "CNN2022",
    span,
    `the train section has no ${code("loss")}`,
    [],
    `add one, e.g. ${code("loss softmax_cross_entropy(logits)")}`,
  );
}

/** CNN2023: more than one `loss`. */
export function duplicateLoss(span: Span, first: Span): Diagnostic {
  const notes = [{ message: "the first loss is here", span: first }];
  return makeError("CNN2023", span, `the train section has more than one ${code("loss")}`, notes, "keep one loss");
}

/** CNN2024: a train section without `optimizer`. */
export function missingOptimizer(span: Span): Diagnostic {
  return makeError(
    "CNN2024",
    span,
    `the train section has no ${code("optimizer")}`,
    [],
    `add one, e.g. ${code("optimizer adam(lr: 0.001)")}`,
  );
}

/** CNN2025: more than one `optimizer`. */
export function duplicateOptimizer(span: Span, first: Span): Diagnostic {
  const notes = [{ message: "the first optimizer is here", span: first }];
  return makeError("CNN2025", span, `the train section has more than one ${code("optimizer")}`, notes, "keep one optimizer");
}

/** CNN2026: more than one train section. */
export function duplicateTrain(span: Span, model: string, first: Span): Diagnostic {
  const notes = [{ message: "the first train section is here", span: first }];
  return makeError("CNN2026", span, `model ${user(model)} has more than one train section`, notes, "merge them into one");
}

/** CNN2027: unknown loss. */
export function unknownLoss(span: Span, name: string, suggestion: string | undefined, losses: readonly string[]): Diagnostic {
  const help = suggestion === undefined ? `the losses are ${codeList(losses)}` : didYouMean(suggestion);
  return makeError("CNN2027", span, `unknown loss ${code(name)}`, [], help);
}

/** CNN2028: unknown optimizer. */
export function unknownOptimizer(span: Span, name: string, suggestion: string | undefined, optimizers: readonly string[]): Diagnostic {
  const help = suggestion === undefined ? `the optimizers are ${codeList(optimizers)}` : didYouMean(suggestion);
  return makeError("CNN2028", span, `unknown optimizer ${code(name)}`, [], help);
}

/** CNN2029: `softmax_cross_entropy` on the output of a `softmax` instead of the logits. */
export function crossEntropyOnSoftmax(span: Span, tensor: string, softmaxAt: Span, logits: string | undefined): Diagnostic {
  const notes = [{ message: `${user(tensor)} is produced by this ${code("softmax")}`, span: softmaxAt }];
  const help =
    logits === undefined
      ? "pass the logits, the input of softmax: bind them to a name and pass that name (the loss applies softmax itself)"
      : `pass the logits, the input of softmax: ${code(`softmax_cross_entropy(${logits})`)} (the loss applies softmax itself)`;
  const message = `${code("softmax_cross_entropy")} expects logits, but ${user(tensor)} is the output of a softmax`;
  return makeError("CNN2029", span, message, notes, help);
}

/** CNN2030: `binary_cross_entropy` on a tensor not produced by `sigmoid`. */
export function binaryCrossEntropyNeedsSigmoid(span: Span, tensor: string, producer: string | undefined, producedAt: Span): Diagnostic {
  const what = producer === undefined ? "is the model input" : `is produced by ${code(producer)}`;
  const notes = [{ message: `${user(tensor)} ${producer === undefined ? "is declared" : "is produced"} here`, span: producedAt }];
  const help = `end the pipeline of ${user(tensor)} with ${code("|> sigmoid")}, or use ${code("mse")}`;
  const message = `${code("binary_cross_entropy")} expects the output of a ${code("sigmoid")}, but ${user(tensor)} ${what}`;
  return makeError("CNN2030", span, message, notes, help);
}

/** CNN2031: `nesterov: true` without momentum. */
export function nesterovWithoutMomentum(span: Span): Diagnostic {
  return makeError("CNN2031", span, `${code("nesterov: true")} needs a ${code("momentum")} above 0`, [], `add ${code("momentum: 0.9")}`);
}

/** CNN2032: `as` on a loss, optimizer or schedule, which are not layers. */
export function asNotAllowed(span: Span, callee: string): Diagnostic {
  return makeError(
    "CNN2032",
    span,
    `${code("as")} names a layer, and ${code(callee)} is not a layer`,
    [],
    `remove ${code("as")} and the name after it`,
  );
}

/** CNN2033: a number too large for a 64-bit float (`1e400`). */
export function notFinite(span: Span, text: string): Diagnostic {
  return makeError("CNN2033", span, `the number ${code(text)} is too large for a 64-bit float`);
}

/** CNN2034: the output is the input itself: no layer in between. */
export function outputIsInput(span: Span, model: string): Diagnostic {
  const help = "a model needs at least one layer between its input and its output";
  return makeError("CNN2034", span, `the output of model ${user(model)} is its input`, [], help);
}

/** CNN2080: `conv2d_transpose` with explicit padding (it takes `valid` or `same`, as Keras). */
export function transposePadding(span: Span, found: string): Diagnostic {
  const help = `use ${code("valid")} (output n*s + max(k - s, 0)) or ${code("same")} (output n*s), as Keras' ${code("Conv2DTranspose")}`;
  return makeError("CNN2080", span, `${argumentWhere("padding", "conv2d_transpose")} must be ${code("valid")} or ${code("same")}, found ${code(found)}`, [], help);
}

/** CNN2081: `groups` that does not divide `filters`. */
export function filtersNotDivisible(span: Span, op: string, filters: number, groups: number): Diagnostic {
  const message = `${argumentWhere("filters", op)} must be divisible by ${code("groups")}: ${filters} filters do not split into ${groups} groups`;
  return makeError("CNN2081", span, message, [], `each group computes filters / groups outputs; pick ${code("filters")} a multiple of ${groups}`);
}
