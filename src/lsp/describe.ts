// Text an editor shows about ops, arguments and tensors: signatures with their defaults, shapes,
// counts. Facts come from the op registry and the checker; this file only words them.
import type { ArgInfo } from "../check/args/bind.js";
import type { LayerSpec, Padding } from "../check/types.js";
import { formatShape, grouped } from "../cli/table.js";

/** `conv2d(filters, kernel, stride: 1, padding: valid, dilation: 1, bias: true, groups: 1)` */
export function signatureText(name: string, args: readonly ArgInfo[]): string {
  return `${name}(${args.map(argText).join(", ")})`;
}

export function argText(arg: ArgInfo): string {
  if (arg.fallback === undefined || arg.fallback.value === null) return arg.name;
  return `${arg.name}: ${valueText(arg.fallback.value)}`;
}

/** A default or resolved value as it would be written: `1`, `[3, 5]`, `valid`, `true`. */
export function valueText(value: unknown): string {
  if (Array.isArray(value)) return value.length === 2 && value[0] === value[1] ? String(value[0]) : formatShape(value as number[]);
  if (typeof value === "object" && value !== null && "kind" in value) return String((value as { kind: unknown }).kind);
  return String(value);
}

/** A layer's resolved attributes, defaults filled in, as `name: value` pairs. */
export function resolvedArgs(layer: LayerSpec): string[] {
  return Object.entries(layer.attrs).map(([name, value]) => `${name}: ${name === "padding" ? paddingText(value as Padding) : valueText(value)}`);
}

/** A 2-D padding per side, or a sequence's (conv1d: before and after the steps). */
function paddingText(p: Padding | { readonly left: number; readonly right: number }): string {
  if (!("top" in p)) return `[${p.left}, ${p.right}] (before, after)`;
  return `[${p.top}, ${p.bottom}, ${p.left}, ${p.right}] (top, bottom, left, right)`;
}

export function countsText(params: number, flops: number): string {
  return `${grouped(params)} params · ${grouped(flops)} FLOPs`;
}
