// Static shape metadata and the instance fields.
import { Scope, type OptionalKind, type PropertyDeclarationStructure } from "ts-morph";
import { num } from "../code.js";
import type { ModelContext } from "../context.js";

type Property = OptionalKind<PropertyDeclarationStructure>;

const tuple = (shape: readonly number[]): string => `[${shape.map(num).join(", ")}] as const`;

/** The module-level constant that holds a model's parameter table. `$` cannot appear in a .cnn
 *  identifier and no generated local starts with it, so no name a user picks can shadow it
 *  inside a method (as a model named `p` would shadow the class name in `for (const p of ...)`). */
export function parameterTable(ctx: ModelContext): string {
  return `$${ctx.className}$parameters`;
}

export function parameterTableStatement(ctx: ModelContext): string {
  const params = ctx.graph.params.map((p) => `{ name: ${JSON.stringify(p.name)}, shape: ${tuple(p.shape)} }`);
  // An empty `[] as const` has element type never, which would make every loop over it a type error.
  const type = params.length === 0 ? ": readonly { readonly name: string; readonly shape: readonly number[] }[]" : "";
  return `/** Name and Keras-layout shape of every parameter of ${ctx.className}, in declaration order. */
const ${parameterTable(ctx)}${type} = [${params.join(", ")}]${params.length === 0 ? "" : " as const"};`;
}

export function staticProperties(ctx: ModelContext): Property[] {
  const g = ctx.graph;
  return [
    { name: "inputShape", isStatic: true, isReadonly: true, initializer: tuple(g.values[g.input]!.shape) },
    { name: "outputShape", isStatic: true, isReadonly: true, initializer: tuple(g.values[g.output]!.shape) },
    { name: "inputSize", isStatic: true, isReadonly: true, initializer: num(ctx.inputSize) },
    { name: "outputSize", isStatic: true, isReadonly: true, initializer: num(ctx.outputSize) },
    { name: "paramCount", isStatic: true, isReadonly: true, initializer: num(g.paramCount) },
    {
      name: "parameters",
      isStatic: true,
      isReadonly: true,
      docs: ["Name and Keras-layout shape of every parameter, in declaration order."],
      // spelt out, so that a .d.ts can be written from this file alone (isolatedDeclarations)
      type: `typeof ${parameterTable(ctx)}`,
      initializer: parameterTable(ctx),
    },
  ];
}

export function instanceFields(ctx: ModelContext): Property[] {
  const plan = ctx.graph.plan!;
  const fields: Property[] = [
    { name: "seed", isReadonly: true, type: "number", docs: ["The seed the weights were initialised from."] },
    { name: "a", scope: Scope.Private, isReadonly: true, type: ctx.arena, docs: [`The arena: every parameter, gradient, optimizer state and activation (${plan.arenaSize} values).`] },
  ];
  if (plan.indexSize > 0) fields.push({ name: "ix", scope: Scope.Private, isReadonly: true, type: "Int32Array", docs: ["Max-pool argmax, kept for the backward pass."] });
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
  if (train.loss.kind !== "mse")
    fields.push({ name: "lastBatchHits", scope: Scope.Private, type: "number", initializer: "0", docs: ["Correct predictions in the last computeGradients batch (training mode), for fit's running accuracy."] });
  if (ctx.options.inputGradient) fields.push({ name: "inputGrads", scope: Scope.Private, type: ctx.array, initializer: `new ${ctx.array}(0)` });
  return fields;
}
