// The constructor: allocate the arena once, then Keras-default initialisation (Glorot-uniform
// kernels, zero biases) from a seeded mulberry32 stream, so one seed gives identical weights.
import type { ConstructorDeclarationStructure, OptionalKind } from "ts-morph";
import { num, stored } from "../code.js";
import type { ModelContext } from "../context.js";
import type { WasmModule } from "../wasm/build.js";
import { wasmArena } from "../wasm/members.js";

/** `wasm`: the --target wasm module, whose memory holds the arena. */
export function constructorOf(ctx: ModelContext, wasm: WasmModule | null = null): OptionalKind<ConstructorDeclarationStructure> {
  const g = ctx.graph;
  const plan = g.plan;
  const kernels = g.params
    .filter((p) => p.init.kind === "glorot_uniform")
    .map((p) => {
      const init = p.init as { fanIn: number; fanOut: number };
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      const at = plan.paramOffset + p.offset;
      return `// ${p.name}: Glorot-uniform, limit sqrt(6 / (${init.fanIn} + ${init.fanOut}))
        for (let i = ${num(at)}; i < ${num(at + p.size)}; i++) a[i] = ${stored(ctx, `(rand() * 2 - 1) * ${num(limit)}`)};`;
    });
  // gamma and the moving variance start at 1 (Keras)
  const ones = g.params
    .filter((p) => p.init.kind === "ones")
    .map((p) => `a.fill(1, ${num(plan.paramOffset + p.offset)}, ${num(plan.paramOffset + p.offset + p.size)}); // ${p.name}: ones`);
  const train = g.train ? `this.rng = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 1; this.rngWork = this.rng;` : "";
  return {
    docs: ["`seed` makes initialisation (and dropout) reproducible; without it a random seed is drawn and kept in `seed`."],
    parameters: [{ name: "options", type: "{ seed?: number }", initializer: "{}" }],
    statements: `const seed = options.seed ?? Math.floor(Math.random() * 4294967296);
      if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295) throw new RangeError(${JSON.stringify(`${ctx.className}: seed must be an integer in [0, 2^32), got `)} + seed);
      this.seed = seed;
      ${wasm === null ? arena(ctx) : wasmArena(ctx, wasm)}
      let s = seed | 0;
      const rand = (): number => {
        s = (s + 0x6d2b79f5) | 0;
        let t = Math.imul(s ^ (s >>> 15), 1 | s);
        t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
      ${kernels.join("\n")}
      ${[...ones, train].join("\n")}`,
  };
}

function arena(ctx: ModelContext): string {
  const plan = ctx.graph.plan;
  return `const a = new ${ctx.arena}(${num(plan.arenaSize)});
      this.a = a;
      ${plan.indexSize > 0 ? `this.ix = new Int32Array(${num(plan.indexSize)});` : ""}`;
}
