// conv1d(filters, kernel, stride: 1, padding: valid, dilation: 1, groups: 1, bias: true):
// [n, c] -> [n', filters] along a sequence, kernel [k, c/groups, filters] in Keras' layout.
import { windowTooLarge } from "../diagnostics/shapes.js";
import { indivisibleGroups } from "../diagnostics/sequence.js";
import { optional, required } from "../check/args/bind.js";
import { boolKind, sequencePaddingKind, sizeKind, type SequencePaddingArg } from "../check/args/kinds.js";
import { resolveAxis, windowSpan } from "../check/window.js";
import type { ParamOptions } from "../check/types.js";
import { kernelParam, paramOptions, zeroBias } from "./init.js";
import { defineOp, type ShapeContext, type Op } from "./op.js";
import { requireSequence } from "./rank.js";
import { conv1d as kernel } from "../emit/kernels/conv1d.js";

/** conv1d along a sequence [n, c]: causal padding is resolved to `left = d*(k-1), right = 0`. */
export interface Conv1dAttrs extends ParamOptions {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly dilation: number;
  readonly padding: { readonly left: number; readonly right: number };
  readonly groups: number;
  readonly bias: boolean;
}

interface Conv1dArgs extends ParamOptions {
  readonly filters: number;
  readonly kernel: number;
  readonly stride: number;
  readonly padding: SequencePaddingArg;
  readonly dilation: number;
  readonly groups: number;
  readonly bias: boolean;
}

/** The output length and the cells padded before and after, or undefined after reporting. */
function resolveLength(n: number, args: Conv1dArgs, ctx: ShapeContext): { out: number; left: number; right: number } | undefined {
  const { kernel: size, stride, dilation, padding } = args;
  // causal: the whole receptive field lies before each step, so y[t] sees x[<= t*s] only
  if (padding.kind === "causal") return { out: Math.ceil(n / stride), left: windowSpan(size, dilation) - 1, right: 0 };
  const axis = resolveAxis(n, { size, stride, dilation, padding: padding.kind === "explicit" ? padding.pad : padding.kind });
  if (axis.fits) return { out: axis.out, left: axis.before, right: axis.after };
  ctx.report(windowTooLarge(ctx.span, ctx.op, [axis.span], [axis.padded], ctx.inputs[0]!));
  return undefined;
}

/** Input channels and filters must both split into `groups` equal parts. */
function groupsDivide(channels: number, args: Conv1dArgs, ctx: ShapeContext): boolean {
  const span = ctx.argSpan("groups");
  if (channels % args.groups !== 0) ctx.report(indivisibleGroups(span, ctx.op, args.groups, "input channels", channels, ctx.inputs[0]!));
  else if (args.filters % args.groups !== 0) ctx.report(indivisibleGroups(span, ctx.op, args.groups, "filters", args.filters, ctx.inputs[0]!));
  else return true;
  return false;
}

export const conv1d: Op<"conv1d", Conv1dAttrs> = defineOp<"conv1d", Conv1dArgs, Conv1dAttrs>({
  name: "conv1d",
  inputs: "pipe",
  signature: {
    filters: required(sizeKind(1)),
    kernel: required(sizeKind(1)),
    stride: optional(sizeKind(1), 1),
    padding: optional(sequencePaddingKind, { kind: "valid" } as SequencePaddingArg),
    dilation: optional(sizeKind(1), 1),
    groups: optional(sizeKind(1), 1),
    bias: optional(boolKind, true),
    ...paramOptions,
  },
  infer([input], args, ctx) {
    const sequence = requireSequence(input!, ctx);
    if (sequence === undefined) return undefined;
    const [n, channels] = sequence;
    if (!groupsDivide(channels, args, ctx)) return undefined;
    const length = resolveLength(n, args, ctx);
    if (length === undefined) return undefined;
    const { filters, kernel, stride, dilation, groups, bias, init, trainable } = args;
    const attrs: Conv1dAttrs = { filters, kernel, stride, dilation, padding: { left: length.left, right: length.right }, groups, bias, init, trainable };
    return { shape: [length.out, filters], attrs };
  },
  params([input], attrs) {
    const perGroup = input![1]! / attrs.groups;
    // Keras' fans: the receptive field (k) times the kernel's last two dimensions
    const kernel = kernelParam([attrs.kernel, perGroup, attrs.filters], attrs);
    return attrs.bias ? [kernel, zeroBias(attrs.filters, attrs)] : [kernel];
  },
  flops([input], [length], attrs) {
    const positions = length! * attrs.filters;
    return 2 * attrs.kernel * (input![1]! / attrs.groups) * positions + (attrs.bias ? positions : 0);
  },
  lower: { kernel, fusesActivation: true },
});
