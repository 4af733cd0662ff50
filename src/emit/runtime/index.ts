// Hand-written runtime members (fit, safetensors) spliced into every generated class.
import { classifies } from "../../check/train/index.js";
import { createHash } from "node:crypto";
import {
  StructureKind,
  type ClassMemberStructures,
  type MethodDeclarationStructure,
  type OptionalKind,
  type PropertyDeclarationStructure,
} from "ts-morph";
import type { ModelContext } from "../context.js";
import { fitMembers } from "./fit.js";
import { safetensorsMembers } from "./safetensors.js";
import type { RuntimeContext } from "./types.js";

/** Each entry contributes members given the model's runtime context. */
const providers: ((ctx: RuntimeContext) => ClassMemberStructures[])[] = [fitMembers, safetensorsMembers];

export function runtimeContext(ctx: ModelContext): RuntimeContext {
  const g = ctx.graph;
  const loss = g.train?.loss.kind;
  return {
    className: ctx.className,
    modelName: g.model.name,
    array: ctx.array,
    dtype: ctx.array === "Float64Array" ? "F64" : "F32",
    inputSize: ctx.inputSize,
    outputSize: ctx.outputSize,
    params: g.params.map((p) => ({ name: p.name, shape: p.shape, size: p.size })),
    train: loss ? { loss, classification: classifies(loss), targetSize: ctx.targetSize } : null,
    archHash: architectureHash(ctx),
  };
}

/** Identifies what a weight file must match: the layers, their shapes and parameter names. */
function architectureHash(ctx: ModelContext): string {
  const g = ctx.graph;
  const desc = {
    input: g.values[g.input]!.shape,
    layers: g.model.layers.map((l) => ({ op: l.op, name: l.name, attrs: weightAttrs(l.attrs), shape: g.values[g.valueOf.get(l.output)!]!.shape })),
    params: g.params.map((p) => [p.name, p.shape]),
  };
  return createHash("sha256").update(JSON.stringify(desc)).digest("hex").slice(0, 16);
}

/** A layer's attributes but for how its weights start and whether they train (`init:`,
 *  `trainable:`): neither changes which weight files fit it. */
function weightAttrs(attrs: object): object {
  const { init: _init, trainable: _trainable, ...rest } = attrs as Record<string, unknown>;
  return rest;
}

export function runtimeMembers(ctx: ModelContext): {
  methods: OptionalKind<MethodDeclarationStructure>[];
  properties: OptionalKind<PropertyDeclarationStructure>[];
} {
  const rctx = runtimeContext(ctx);
  const members = providers.flatMap((p) => p(rctx));
  const methods: OptionalKind<MethodDeclarationStructure>[] = [];
  const properties: OptionalKind<PropertyDeclarationStructure>[] = [];
  for (const m of members) {
    if (m.kind === StructureKind.Method) methods.push(m);
    else if (m.kind === StructureKind.Property) properties.push(m);
    else throw new Error(`internal: runtime member kind ${m.kind} is not supported`);
  }
  return { methods, properties };
}
