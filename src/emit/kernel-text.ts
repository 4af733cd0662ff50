// A kernel tree, through the model's schedule, as the text of a method body: the locals that
// reach the instance's buffers, the region constants of the readable build, then the code.
import type { Stmt } from "../kernel/ir.js";
import { schedule } from "../kernel/pipeline.js";
import { regionsOf } from "../kernel/passes/regions.js";
import { literal, prologue, stmts } from "../kernel/print/ts.js";
import type { ModelContext } from "./context.js";

export function kernelText(ctx: ModelContext, kernel: readonly Stmt[], ints: readonly string[] = []): string {
  const tree = schedule(kernel, ctx.schedule, ints);
  // --target wasm: a call into the module's function, unless only JavaScript can run it
  const call = ctx.wasm?.add(tree, ints) ?? null;
  if (call !== null) return call;
  const constants = ctx.schedule.readable ? regionsOf(tree).map((r) => `const ${r.name} = ${literal(r.offset)};`) : [];
  return [prologue(tree), ...constants, stmts(tree)].filter((s) => s !== "").join("\n");
}
