// Static shape metadata and the instance fields.
import { classifies } from "../../check/train/index.js";
import { Scope, type OptionalKind, type PropertyDeclarationStructure } from "ts-morph";
import { num } from "../code.js";
import type { ModelContext } from "../context.js";

type Property = OptionalKind<PropertyDeclarationStructure>;

const tuple = (shape: readonly number[]): string => `[${shape.map(num).join(", ")}] as const`;
// `as const` only binds TypeScript; plain JavaScript could still change a shape that
// getWeights() and setWeights() read, so the static tables are frozen too.
const frozen = (shape: readonly number[]): string => `Object.freeze(${tuple(shape)})`;
// Every type spelt out, so that a .d.ts can be written from this file alone (isolatedDeclarations).
const tupleType = (shape: readonly number[]): string => `readonly [${shape.map(num).join(", ")}]`;

/** The module-level constant that holds a model's parameter table. `$` cannot appear in a .cnn
 *  identifier and no generated local starts with it, so no name a user picks can shadow it
 *  inside a method (as a model named `p` would shadow the class name in `for (const p of ...)`). */
export function parameterTable(ctx: ModelContext): string {
  return `$${ctx.className}$parameters`;
}

export function parameterTableStatement(ctx: ModelContext): string {
  const params = ctx.graph.params.map((p) => `Object.freeze({ name: ${JSON.stringify(p.name)}, shape: ${frozen(p.shape)} })`);
  // An empty tuple type has element type never, which would make every loop over it a type error.
  const entries = ctx.graph.params.map((p) => `{ readonly name: ${JSON.stringify(p.name)}; readonly shape: ${tupleType(p.shape)} }`);
  const type = params.length === 0 ? ": readonly { readonly name: string; readonly shape: readonly number[] }[]" : `: readonly [${entries.join(", ")}]`;
  return `/** Name and Keras-layout shape of every parameter of ${ctx.className}, in declaration order. */
const ${parameterTable(ctx)}${type} = Object.freeze([${params.join(", ")}]${params.length === 0 ? "" : " as const"});`;
}

export function staticProperties(ctx: ModelContext): Property[] {
  const g = ctx.graph;
  return [
    { name: "inputShape", isStatic: true, isReadonly: true, type: tupleType(g.values[g.input]!.shape), initializer: frozen(g.values[g.input]!.shape) },
    { name: "outputShape", isStatic: true, isReadonly: true, type: tupleType(g.values[g.output]!.shape), initializer: frozen(g.values[g.output]!.shape) },
    { name: "inputSize", isStatic: true, isReadonly: true, initializer: num(ctx.inputSize) },
    { name: "outputSize", isStatic: true, isReadonly: true, initializer: num(ctx.outputSize) },
    { name: "paramCount", isStatic: true, isReadonly: true, initializer: num(g.paramCount) },
    {
      name: "parameters",
      isStatic: true,
      isReadonly: true,
      docs: ["Name and Keras-layout shape of every parameter, in declaration order."],
      type: `typeof ${parameterTable(ctx)}`,
      initializer: parameterTable(ctx),
    },
  ];
}

export function instanceFields(ctx: ModelContext): Property[] {
  const plan = ctx.graph.plan;
  const fields: Property[] = [
    { name: "seed", isReadonly: true, type: "number", docs: ["The seed the weights were initialised from."] },
    {
      name: "a",
      scope: Scope.Private,
      // a layer-major model's arena grows with the largest batch it has trained on
      isReadonly: plan.sample === undefined,
      type: ctx.arena,
      docs: [`The arena: every parameter, gradient, optimizer state and activation (${plan.arenaSize} values${plan.sample ? `, and ${plan.sample.stride} more per training sample after the first` : ""}).`],
    },
  ];
  // on the wasm target the index arena is only ever read by the wasm kernels: no view of it
  if (plan.indexSize > 0 && ctx.wasm === null) fields.push({ name: "ix", scope: Scope.Private, isReadonly: plan.sample === undefined, type: "Int32Array", docs: ["Max-pool argmax, kept for the backward pass."] });
  if (plan.folded.size > 0)
    fields.push({ name: "foldedStale", scope: Scope.Private, type: "boolean", initializer: "true", docs: ["Whether the batch norms folded into the layers before them need folding again (the weights changed)."] });
  if (plan.sample) fields.push({ name: "capacity", scope: Scope.Private, type: "number", initializer: "1", docs: ["Samples the arena holds copies of (layer-major training)."] });
  const train = ctx.graph.train;
  if (!train) return fields;
  fields.push(
    { name: "learningRate", type: "number", initializer: num(train.optimizer.lr), docs: ["Base learning rate; the schedule scales it."] },
    { name: "stepCount", scope: Scope.Private, type: "number", initializer: "0" },
    { name: "rng", scope: Scope.Private, type: "number", initializer: "1" },
    { name: "rngWork", scope: Scope.Private, type: "number", initializer: "1" },
  );
  // only a cosine schedule reads it, and a strict project rejects a field that is never read
  if (train.optimizer.schedule.kind === "cosine") fields.push({ name: "horizon", scope: Scope.Private, type: "number", initializer: "0" });
  if (train.optimizer.schedule.kind !== "none")
    fields.push({ name: "scheduleStart", scope: Scope.Private, type: "number", initializer: "0", docs: ["stepCount when the schedule last started (setTrainingHorizon)."] });
  if (classifies(train.loss.kind))
    fields.push({ name: "lastBatchHits", scope: Scope.Private, type: "number", initializer: "0", docs: ["Correct predictions in the last computeGradients batch (training mode), for fit's running accuracy."] });
  if (ctx.options.inputGradient) fields.push({ name: "inputGrads", scope: Scope.Private, type: ctx.array, initializer: `new ${ctx.array}(0)` });
  return fields;
}
