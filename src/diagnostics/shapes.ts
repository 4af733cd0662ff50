// Catalog of CNN3xxx diagnostics: shapes, sizes and resource limits.
// Style: lower case, no final period; code in backticks, user-chosen names in single quotes.
import type { Span } from "../source/span.js";
import type { Diagnostic, Note } from "./diagnostic.js";
import { makeError } from "./names.js";

export const shapeCodes = [
  "CNN3001",
  "CNN3002",
  "CNN3003",
  "CNN3004",
  "CNN3005",
  "CNN3006",
  "CNN3007",
  "CNN3008",
  "CNN3009",
  "CNN3010",
  "CNN3011",
  "CNN3012",
  "CNN3013",
  "CNN3014",
  "CNN3015",
  "CNN3070",
  "CNN3071",
] as const;

export type ShapeCode = (typeof shapeCodes)[number];

/** Where a tensor came from, for the notes that explain a shape error. */
export interface TensorOrigin {
  /** undefined for an unnamed intermediate */
  readonly name?: string;
  readonly shape: readonly number[];
  readonly span: Span;
  /** the op that produced it; undefined for the model input */
  readonly producer?: string;
}

const code = (text: string): string => `\`${text}\``;
const user = (name: string): string => `'${name}'`;

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** `3x5` for a 2-D window, `5` for a window along a sequence */
const formatPair = (pair: readonly number[]): string => pair.join("x");

/** `67,108,864`; beyond 2^53 a double holds no exact count, so `about 4.72e+21` */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count)) return `about ${count.toPrecision(3)}`;
  return String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `the input 'features' was produced here, with shape [4, 4, 16]` */
export function originNote(origin: TensorOrigin, role = "the input"): Note {
  const shape = formatShape(origin.shape);
  if (origin.producer === undefined)
    return { message: `${role} ${user(origin.name ?? "?")} was declared here, with shape ${shape}`, span: origin.span };
  if (origin.name === undefined)
    return { message: `${role} was produced here by ${code(origin.producer)}, with shape ${shape}`, span: origin.span };
  return { message: `${role} ${user(origin.name)} was produced here, with shape ${shape}`, span: origin.span };
}

/** What an op accepts, by rank: an image, a vector, a sequence, or an image or a sequence (the pools). */
export type RankWanted = "image" | "vector" | "sequence" | "image or sequence";

const wantedText: Record<RankWanted, string> = {
  image: "an image [h, w, c]",
  vector: "a vector [n]",
  sequence: "a sequence [length, channels]",
  "image or sequence": "an image [h, w, c] or a sequence [length, channels]",
};

/** What a shape is, by its rank: `a sequence`, `a tensor of rank 4`. */
function rankName(shape: readonly number[]): string {
  if (shape.length === 1) return "a vector";
  if (shape.length === 2) return "a sequence";
  if (shape.length === 3) return "an image";
  return `a tensor of rank ${shape.length}`;
}

/** CNN3001: an input of the wrong rank (`dense` on an image, `conv2d` on a vector, ...), naming the rank found. */
export function wrongRank(span: Span, op: string, expected: RankWanted, input: TensorOrigin): Diagnostic {
  const message = `${code(op)} expects ${wantedText[expected]}, but its input is ${rankName(input.shape)} of shape ${formatShape(input.shape)}`;
  let help: string | undefined;
  if (expected === "vector") help = `insert ${code("|> flatten")} or ${code("|> global_avgpool")} before ${code(op)}`;
  else if (expected === "sequence" && input.shape.length === 3) help = `an image [h, w, c] takes the 2-D ops (${code("conv2d")})`;
  // a grayscale image declared [28, 28] is the usual slip; a real sequence goes to the 1-D ops
  else if (expected === "image" && input.shape.length === 2)
    help = `a sequence [length, channels] takes ${code("conv1d")} and the pools; an image needs a channel axis: ${formatShape([...input.shape, 1])}`;
  return makeError("CNN3001", span, message, [originNote(input)], help);
}

/** CNN3002: a kernel or pool window larger than its padded input. */
export function windowTooLarge(
  span: Span,
  op: string,
  window: readonly number[],
  padded: readonly number[],
  input: TensorOrigin,
): Diagnostic {
  // every convolution (conv2d, depthwise_conv2d, separable_conv2d, conv1d) has a kernel
  const what = op.includes("conv") ? "kernel" : "window";
  const message = `the ${what} of ${code(op)} spans ${formatPair(window)}, more than its padded input ${formatPair(padded)}`;
  const help = `use a smaller ${what}, ${code("padding: same")}, or a larger input`;
  return makeError("CNN3002", span, message, [originNote(input)], help);
}

/** CNN3003: `add` of tensors with different shapes. */
export function addShapeMismatch(span: Span, inputs: readonly TensorOrigin[]): Diagnostic {
  const shapes = inputs.map((input) => formatShape(input.shape)).join(" and ");
  const notes = inputs.map((input) => originNote(input));
  return makeError("CNN3003", span, `${code("add")} needs tensors of one shape, found ${shapes}`, notes);
}

/** CNN3004: `concat` of tensors that differ in more than the last axis. */
export function concatShapeMismatch(span: Span, inputs: readonly TensorOrigin[]): Diagnostic {
  const shapes = inputs.map((input) => formatShape(input.shape)).join(" and ");
  const notes = inputs.map((input) => originNote(input));
  return makeError("CNN3004", span, `${code("concat")} needs tensors equal but for the last axis, found ${shapes}`, notes);
}

/** CNN3005: a shape assertion that does not match the inferred shape. */
export function assertionFailed(span: Span, name: string, asserted: readonly number[], inferred: TensorOrigin): Diagnostic {
  const message = `${user(name)} has shape ${formatShape(inferred.shape)}, not ${formatShape(asserted)} as annotated`;
  const note = { message: `shape ${formatShape(inferred.shape)} comes from here`, span: inferred.span };
  return makeError("CNN3005", span, message, [note], "fix the annotation or the layers that produce the tensor");
}

/** CNN3006: a shape dimension that is not an integer >= 1. */
export function badDimension(span: Span, text: string): Diagnostic {
  return makeError("CNN3006", span, `a dimension must be an integer of at least 1, found ${code(text)}`);
}

/** CNN3007: `softmax_cross_entropy` on a tensor that is not a vector of 2 or more classes. */
export function crossEntropyShape(span: Span, tensor: TensorOrigin): Diagnostic {
  const rankOne = tensor.shape.length === 1;
  const help = rankOne
    ? `for a single yes/no output use ${code("|> sigmoid")} and ${code("binary_cross_entropy")}`
    : `insert ${code("|> flatten")} and a ${code("dense")} layer with one unit per class`;
  const message = `${code("softmax_cross_entropy")} needs a vector of 2 or more class scores, but ${user(tensor.name ?? "?")} has shape ${formatShape(tensor.shape)}`;
  return makeError("CNN3007", span, message, [originNote(tensor, "the tensor")], help);
}

/** CNN3008: an input rank outside 1 to 3. */
export function rankLimit(span: Span, rank: number, maxRank: number): Diagnostic {
  return makeError(
    "CNN3008",
    span,
    `a shape of rank ${rank} is not supported: the rank must be 1 to ${maxRank}`,
    [],
    "images are [height, width, channels], sequences [length, channels], vectors [n]",
  );
}

/** CNN3009: a tensor with more elements than the limit; `of` names the input or the op producing it. */
export function tooManyElements(
  span: Span,
  of: { readonly input: string } | { readonly op: string },
  elements: number,
  max: number,
): Diagnostic {
  const what = "input" in of ? `the input ${user(of.input)}` : `the output of ${code(of.op)}`;
  return makeError("CNN3009", span, `${what} has ${formatCount(elements)} elements per sample, more than the limit of ${formatCount(max)}`);
}

/** `2,147,614,720 bytes (2.0 GiB)` */
function formatBytes(bytes: number): string {
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let scaled = bytes;
  let unit = "bytes";
  for (let i = 0; scaled >= 1024 && i < units.length; i++) [scaled, unit] = [scaled / 1024, units[i]!];
  return unit === "bytes" ? `${formatCount(bytes)} bytes` : `${formatCount(bytes)} bytes (${scaled.toFixed(1)} ${unit})`;
}

/** CNN3010: parameters larger in total than the limit. */
export function tooManyParamBytes(span: Span, model: string, bytes: number, max: number): Diagnostic {
  const message = `with this layer the parameters of ${user(model)} take ${formatBytes(bytes)} at f64, more than the limit of ${formatBytes(max)}`;
  return makeError("CNN3010", span, message, [], "use fewer units or filters, or pool before this layer");
}

/** CNN3011: more layers than the limit. */
export function tooManyLayers(span: Span, model: string, layers: number, max: number, firstOver: Span): Diagnostic {
  const notes = [{ message: `layer ${formatCount(max + 1)} is here`, span: firstOver }];
  return makeError(
    "CNN3011",
    span,
    `model ${user(model)} has ${formatCount(layers)} layers, more than the limit of ${formatCount(max)}`,
    notes,
  );
}

/** CNN3012: a dimension or size argument above the limit; `where` names the argument, undefined for a shape dimension. */
export function dimensionTooLarge(span: Span, where: string | undefined, text: string, max: number): Diagnostic {
  const what = where ?? "this dimension";
  return makeError("CNN3012", span, `${what} is ${code(text)}, larger than the largest supported size, ${formatCount(max)}`);
}

/** CNN3013: pool padding more than half the window. */
export function poolPaddingTooLarge(
  span: Span,
  op: string,
  padding: readonly number[],
  window: readonly number[],
): Diagnostic {
  const message = `padding ${formatPair(padding)} of ${code(op)} is more than half its ${formatPair(window)} window`;
  const help = "padded cells never count, so every window must overlap the input: pad at most half the window";
  return makeError("CNN3013", span, message, [], help);
}

/** CNN3014: the generated module would be larger than the limit on generated source. */
export function moduleTooLarge(span: Span, model: string, size: number, max: number): Diagnostic {
  const message = `the generated module for ${code(model)} would be ${formatCount(size)} characters, more than the limit of ${formatCount(max)}`;
  return makeError("CNN3014", span, message, [], "raise the limit with --max-source-bytes, or use fewer layers");
}

/** CNN3015: the model's working memory (one arena per instance) would exceed the limit. */
export function arenaTooLarge(span: Span, model: string, bytes: number, max: number): Diagnostic {
  const message = `an instance of ${code(model)} would need ${formatCount(bytes)} bytes of working memory, more than the limit of ${formatCount(max)}`;
  return makeError("CNN3015", span, message, [], "use smaller tensors, or raise the limit with --max-arena-bytes");
}

/** CNN3070: input channels that `groups` does not divide. */
export function channelsNotDivisible(span: Span, op: string, groups: number, input: TensorOrigin): Diagnostic {
  const channels = input.shape[input.shape.length - 1]!;
  const message = `${code(op)} with ${groups} groups needs input channels divisible by ${groups}, but its input has ${channels} channels`;
  return makeError("CNN3070", span, message, [originNote(input)], `each group reads channels / groups inputs; make the input's channels a multiple of ${groups}`);
}

/** CNN3071: a transposed convolution of a sequence [n, c]. */
export function transposeOnSequence(span: Span, op: string, input: TensorOrigin): Diagnostic {
  const message = `${code(op)} expects an image [h, w, c], but its input is a sequence with shape ${formatShape(input.shape)}`;
  const help = `there is no 1-D transposed convolution: ${code(op)} takes images only`;
  return makeError("CNN3071", span, message, [originNote(input)], help);
}
