// One exported class per model, built as a ts-morph structure in one go.
import { StructureKind, type ClassDeclarationStructure, type OptionalKind, type MethodDeclarationStructure, type PropertyDeclarationStructure } from "ts-morph";
import type { Graph } from "../ir/graph.js";
import type { CompileOptions } from "../options.js";
import type { SourceFile } from "../source/span.js";
import { modelContext, type ModelContext } from "./context.js";
import { constructorOf } from "./members/init.js";
import { instanceFields, parameterTableStatement, staticProperties } from "./members/meta.js";
import { predictMethods } from "./members/predict.js";
import { runMethods } from "./members/run.js";
import { trainMethods } from "./members/train.js";
import { weightMethods } from "./members/weights.js";
import { foldMethods } from "./members/fold.js";
import { runtimeMembers } from "./runtime/index.js";
import type { Binaryen, WasmModule } from "./wasm/build.js";
import { bytesStatement, createMethod, wasmProperties } from "./wasm/members.js";

/** The module-level statements for one model: its parameter table, (its wasm bytes,) then its
 *  class. `binaryen` is loaded for --target wasm only. */
export function modelStatements(graph: Graph, file: SourceFile, options: CompileOptions, binaryen: Binaryen | null = null): (string | ClassDeclarationStructure)[] {
  const ctx = modelContext(graph, file, options, binaryen);
  const cls = modelClass(ctx);
  if (ctx.wasm === null) return [parameterTableStatement(ctx), cls];
  // every kernel is in the module once the methods are built
  const wasm = ctx.wasm.finish();
  return [parameterTableStatement(ctx), bytesStatement(ctx, wasm), withWasm(ctx, cls, wasm)];
}

function withWasm(ctx: ModelContext, cls: ClassDeclarationStructure, wasm: WasmModule): ClassDeclarationStructure {
  return {
    ...cls,
    properties: [...(cls.properties ?? []), ...wasmProperties(ctx, wasm)],
    ctors: [constructorOf(ctx, wasm)],
    methods: [createMethod(ctx), ...(cls.methods ?? [])],
  };
}

function modelClass(ctx: ModelContext): ClassDeclarationStructure {
  const graph = ctx.graph;
  const runtime = runtimeMembers(ctx);
  // Public surface first, then the generated passes that do the arithmetic.
  const methods: OptionalKind<MethodDeclarationStructure>[] = [
    ...predictMethods(ctx),
    ...(ctx.train ? trainMethods(ctx, ctx.train) : []),
    ...weightMethods(ctx),
    ...foldMethods(ctx),
    ...runtime.methods,
    ...runMethods(ctx),
  ];
  const properties: OptionalKind<PropertyDeclarationStructure>[] = [...staticProperties(ctx), ...instanceFields(ctx)];
  return {
    kind: StructureKind.Class,
    name: ctx.className,
    isExported: true,
    docs: [
      `${graph.model.name}: input [${ctx.env.shape(graph.input).join(", ")}], output [${ctx.env.shape(graph.output).join(", ")}], ${graph.paramCount} parameters` +
        (graph.train ? `; trains with ${graph.train.loss.kind} and ${graph.train.optimizer.kind}.` : "; inference only."),
    ],
    properties: [...properties, ...runtime.properties],
    ctors: [constructorOf(ctx)],
    methods,
  };
}
