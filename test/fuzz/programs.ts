// A grammar-based generator of whole programs: one or two models, each an input, a few bindings
// of pipelines, maybe an output and a train section. It follows the shape rules, so most programs
// check and reach compile(); a little under half get exactly one deliberate mistake (see
// mistakes.ts), so the checker also sees programs that are wrong in one place among valid ones.
import fc from "fast-check";
import { Chooser } from "./chooser.js";
import { argumentMistakes, modelMistakes } from "./mistakes.js";
import { product, windowOutput, type Padding } from "./shapes.js";

interface Tensor {
  readonly name: string;
  /** undefined once the generator has lost track (after a deliberate mistake) */
  readonly shape: readonly number[] | undefined;
  /** the op of the binding's last call, which decides the losses that fit */
  readonly last?: string;
}

interface Step {
  readonly text: string;
  readonly shape: readonly number[] | undefined;
}

/** Random choices plus the model's one allowed mistake. */
class Gen extends Chooser {
  private mistakes: number;

  constructor(g: fc.GeneratorValue) {
    super(g);
    this.mistakes = this.chance(0.45) ? 1 : 0;
  }

  /** Whether to make the mistake here; at most once per model. */
  mistake(probability = 0.15): boolean {
    if (this.mistakes === 0 || !this.chance(probability)) return false;
    this.mistakes--;
    return true;
  }
}

const modelNames = ["Net", "M", "Tiny", "Classifier", "A2", "model_b", "Lenet"];
const tensorNames = ["h", "features", "z", "logits", "hidden", "block", "branch", "t0", "out_1", "probs", "constructor", "__proto__"];

export const program: fc.Arbitrary<string> = fc.gen().map((g) => generateProgram(new Gen(g)));

function generateProgram(c: Gen): string {
  const count = c.chance(0.15) ? 2 : 1;
  const names = count === 2 && c.mistake(0.1) ? [modelNames[0]!, modelNames[0]!] : [modelNames[0]!, c.pick(modelNames.slice(1))];
  return Array.from({ length: count }, (_, i) => generateModel(c, names[i]!)).join("\n\n") + (c.chance(0.5) ? "\n" : "");
}

function generateModel(c: Gen, name: string): string {
  // decided first, so the mistakes made along the way do not use up the chance of this one
  const structural = c.mistake(0.4);
  const input: Tensor = { name: c.pick(["x", "image", "pixels", "input_1"]), shape: inputShape(c) };
  const tensors: Tensor[] = [input];
  const lines = [`model ${name} {`, `  input ${input.name}: [${input.shape!.join(", ")}]`];
  const bindings = c.int(1, 5);
  for (let i = 0; i < bindings; i++) {
    const tensor = binding(c, tensors, lines);
    if (tensor) tensors.push(tensor);
  }
  const output = tensors[tensors.length - 1]!;
  if (c.chance(0.2)) lines.push(`  output ${c.mistake(0.3) ? c.pick(tensors).name : output.name}`);
  if (c.chance(0.5)) lines.push(...trainSection(c, tensors, output));
  lines.push("}");
  if (structural) c.pick(modelMistakes)({ lines, input: input.name, last: output.name });
  return lines.join(c.chance(0.1) ? "\r\n" : "\n");
}

function inputShape(c: Gen): number[] {
  const rank = c.pick([1, 3, 3, 3, 2]);
  if (rank === 1) return [c.int(1, 20)];
  if (rank === 2) return [c.int(1, 8), c.int(1, 8)];
  return [c.int(1, 12), c.int(1, 12), c.int(1, 4)];
}

/** Appends one binding to `lines`; returns its tensor, or undefined if the name was taken. */
function binding(c: Gen, tensors: readonly Tensor[], lines: string[]): Tensor | undefined {
  const name = freshName(c, tensors);
  const start = source(c, tensors);
  let shape = start.shape;
  const calls: string[] = [];
  const length = c.int(start.text.includes("(") ? 0 : 1, 4);
  for (let i = 0; i < length; i++) {
    const step = call(c, shape);
    calls.push(step.text + (c.chance(0.1) ? ` as ${name}_l${i}` : ""));
    shape = step.shape;
  }
  const assertion = shape && c.chance(0.15) ? `: [${(c.mistake(0.3) ? shape.map((d) => d + 1) : shape).join(", ")}]` : "";
  const joiner = c.chance(0.3) ? "\n    |> " : " |> ";
  lines.push(`  ${name}${assertion} = ${[start.text, ...calls].join(joiner)}`);
  return { name, shape, last: calls.length > 0 ? (calls[calls.length - 1]!.match(/^\w+/)?.[0] ?? "") : start.text.match(/^\w+/)?.[0] };
}

function freshName(c: Gen, tensors: readonly Tensor[]): string {
  const name = c.pick(tensorNames);
  // a name used twice is one of the checker's cases, kept rare
  if (tensors.some((t) => t.name === name) && !c.mistake(0.3)) return `${name}${tensors.length}`;
  return name;
}

/** A tensor name, or add/concat of tensors of matching shapes. */
function source(c: Gen, tensors: readonly Tensor[]): Step {
  const first = c.pick(tensors);
  const roll = c.int(0, 9);
  if (roll >= 2 || !first.shape) return { text: first.name, shape: first.shape };
  const op = roll === 0 ? "add" : "concat";
  const partners = tensors.filter((t) => t.shape && (op === "add" ? sameShape(t.shape, first.shape!) : sameButLast(t.shape, first.shape!)));
  const second = c.mistake(0.2) ? c.pick(tensors) : c.pick(partners);
  const shape = op === "add" ? first.shape : joinedShape(first.shape, second.shape);
  return { text: `${op}(${first.name}, ${second.name})`, shape: second.shape ? shape : undefined };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function sameButLast(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => i === a.length - 1 || d === b[i]);
}

function joinedShape(a: readonly number[], b: readonly number[] | undefined): readonly number[] | undefined {
  if (!b || !sameButLast(a, b)) return undefined;
  return [...a.slice(0, -1), a[a.length - 1]! + b[b.length - 1]!];
}

/** One call that fits `shape` (or, rarely or when the shape is unknown, any call). */
function call(c: Gen, shape: readonly number[] | undefined): Step {
  // after the mistake, calls that accept any input, so one mistake gives one error
  if (!shape) return { text: "relu", shape: undefined };
  if (c.mistake(0.1)) return { text: anyCall(c), shape: undefined };
  if (shape.length === 3) return imageCall(c, shape);
  if (shape.length === 1) return vectorCall(c, shape);
  return c.chance(0.5) ? { text: "flatten", shape: [product(shape)] } : elementwise(c, shape);
}

function imageCall(c: Gen, shape: readonly number[]): Step {
  const [h, w, ch] = shape as [number, number, number];
  switch (c.int(0, 6)) {
    case 0:
    case 1:
      return conv(c, h, w);
    case 2:
      return pool(c, h, w, ch);
    case 3:
      return { text: c.pick(["global_avgpool", "global_maxpool"]), shape: [ch] };
    case 4:
      return { text: c.pick(["flatten", "flatten()"]), shape: [h * w * ch] };
    default:
      return elementwise(c, shape);
  }
}

function conv(c: Gen, h: number, w: number): Step {
  const filters = c.int(1, 6);
  const k = c.int(1, Math.min(5, h, w));
  const stride = c.chance(0.7) ? 1 : c.int(2, 3);
  const dilation = c.chance(0.85) || 2 * (k - 1) + 1 > Math.min(h, w) ? 1 : 2;
  const padding: Padding = c.pick(["valid", "same", "same", 0, 1]);
  const outH = windowOutput(h, k, stride, padding, dilation);
  const outW = windowOutput(w, k, stride, padding, dilation);
  const args = [`${filters}`, `kernel: ${k}`];
  if (stride !== 1 || c.chance(0.2)) args.push(`stride: ${stride}`);
  if (padding !== "valid" || c.chance(0.2)) args.push(`padding: ${padding}`);
  if (dilation !== 1) args.push(`dilation: ${dilation}`);
  if (c.chance(0.1)) args.push(`bias: ${c.pick(["true", "false"])}`);
  return { text: `conv2d(${args.join(", ")})`, shape: outH && outW ? [outH, outW, filters] : undefined };
}

function pool(c: Gen, h: number, w: number, ch: number): Step {
  const op = c.pick(["maxpool", "avgpool"]);
  const size = c.int(1, Math.min(3, h, w));
  const stride = c.chance(0.7) ? size : c.int(1, 2);
  const padding: Padding = c.pick(["valid", "valid", "same"]);
  const outH = windowOutput(h, size, stride, padding);
  const outW = windowOutput(w, size, stride, padding);
  const args = [`${size}`];
  if (stride !== size) args.push(`stride: ${stride}`);
  if (padding !== "valid") args.push(`padding: ${padding}`);
  return { text: `${op}(${args.join(", ")})`, shape: outH && outW ? [outH, outW, ch] : undefined };
}

function vectorCall(c: Gen, shape: readonly number[]): Step {
  if (c.chance(0.5)) {
    const units = c.int(1, 12);
    return { text: c.chance(0.1) ? `dense(units: ${units}, bias: false)` : `dense(${units})`, shape: [units] };
  }
  return elementwise(c, shape);
}

function elementwise(c: Gen, shape: readonly number[]): Step {
  const text = c.pick([
    "relu",
    "relu()",
    "sigmoid",
    "tanh",
    "softmax",
    "leaky_relu",
    "leaky_relu(0.2)",
    "leaky_relu(alpha: 0)",
    "dropout(0.5)",
    "dropout(rate: 0)",
  ]);
  return { text, shape };
}

/** A call with no regard for shapes or argument rules. */
function anyCall(c: Gen): string {
  return c.pick(argumentMistakes);
}

function trainSection(c: Gen, tensors: readonly Tensor[], output: Tensor): string[] {
  const target = c.mistake(0.3) ? c.pick(tensors) : output;
  const loss = c.mistake(0.3) ? c.pick(["softmax_cross_entropy", "binary_cross_entropy"]) : fittingLoss(c, target);
  const lines = ["  train {"];
  const entries = [`    loss ${loss}(${target.name})`, `    optimizer ${optimizer(c)}`];
  if (c.chance(0.5)) entries.reverse();
  // a missing entry is one of the checker's cases
  if (c.mistake(0.1)) entries.pop();
  lines.push(...entries, "  }");
  return lines;
}

/** A loss the target's shape and last op allow. */
function fittingLoss(c: Gen, target: Tensor): string {
  if (target.last === "sigmoid" && c.chance(0.5)) return "binary_cross_entropy";
  const classes = target.shape?.length === 1 && target.shape[0]! >= 2 && target.last !== "softmax";
  return classes && c.chance(0.7) ? "softmax_cross_entropy" : "mse";
}

function optimizer(c: Gen): string {
  const schedule = c.pick([
    "",
    "",
    "",
    ", schedule: none",
    ", schedule: cosine",
    ", schedule: cosine()",
    ", schedule: step(every: 3)",
    ", schedule: step(every: 2, gamma: 0.5)",
  ]);
  if (c.chance(0.5)) {
    const momentum = c.pick(["", ", momentum: 0.9", ", momentum: 0.5, nesterov: true", ", weight_decay: 0.0001"]);
    return `sgd(lr: ${c.pick(["0.1", "0.01", "1e-3", ".5"])}${momentum}${c.chance(0.1) ? ", clip_norm: 1" : ""}${schedule})`;
  }
  const args = c.pick(["", "lr: 0.001", "lr: 0.01, beta1: 0.8", "eps: 1e-8, weight_decay: 0.01", "0.002"]);
  const rest = args === "" ? schedule.replace(/^, /, "") : args + schedule;
  return `adam(${rest})`;
}
