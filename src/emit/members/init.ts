// The constructor: allocate the arena once, then Keras' initialisation (each kernel as its
// `init:` says, Glorot-uniform by default; zero biases) from a seeded mulberry32 stream, so one
// seed gives identical weights. Normal initialisers are truncated at two standard deviations
// (redrawn beyond), with Keras' correction of the standard deviation for the truncation.
import type { ConstructorDeclarationStructure, OptionalKind } from "ts-morph";
import { num, stored } from "../code.js";
import type { ModelContext } from "../context.js";
import type { WasmModule } from "../wasm/build.js";
import { wasmArena } from "../wasm/members.js";
import { varianceScaling } from "../../ops/init.js";

// the standard deviation of a unit normal truncated at +-2, which Keras divides by so the
// truncated draws keep the variance asked for
const TRUNCATION = 0.87962566103423978;

/** `wasm`: the --target wasm module, whose memory holds the arena. */
export function constructorOf(ctx: ModelContext, wasm: WasmModule | null = null): OptionalKind<ConstructorDeclarationStructure> {
  const g = ctx.graph;
  const plan = g.plan;
  const kernels = g.params.map((p) => {
    const at = plan.paramOffset + p.offset;
    const init = p.init;
    if (init.kind === "zeros") return "";
    if (init.kind === "ones") return `// ${p.name}: ones\n a.fill(1, ${num(at)}, ${num(at + p.size)});`;
    if (init.kind === "glorot_uniform") {
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      return `// ${p.name}: Glorot-uniform, limit sqrt(6 / (${init.fanIn} + ${init.fanOut}))
        for (let i = ${num(at)}; i < ${num(at + p.size)}; i++) a[i] = ${stored(ctx, `(rand() * 2 - 1) * ${num(limit)}`)};`;
    }
    const { variance, distribution } = varianceScaling(init.kind, init.fanIn, init.fanOut);
    const fans = `fan_in ${init.fanIn}, fan_out ${init.fanOut}`;
    if (distribution === "uniform") {
      const limit = Math.sqrt(3 * variance);
      return `// ${p.name}: ${init.kind} (${fans}), uniform within +-${num(limit)}
        for (let i = ${num(at)}; i < ${num(at + p.size)}; i++) a[i] = ${stored(ctx, `(rand() * 2 - 1) * ${num(limit)}`)};`;
    }
    const stddev = Math.sqrt(variance) / TRUNCATION;
    return `// ${p.name}: ${init.kind} (${fans}), normal with sd ${num(stddev)} truncated at 2 sd (Box-Muller, redrawn beyond)
      for (let i = ${num(at)}; i < ${num(at + p.size)}; i++) {
        let z = 0;
        do z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(6.283185307179586 * rand());
        while (z < -2 || z > 2);
        a[i] = ${stored(ctx, `z * ${num(stddev)}`)};
      }`;
  });
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
      ${kernels.filter((k) => k !== "").join("\n")}
      ${train}`,
  };
}

function arena(ctx: ModelContext): string {
  const plan = ctx.graph.plan;
  return `const a = new ${ctx.arena}(${num(plan.arenaSize)});
      this.a = a;
      ${plan.indexSize > 0 ? `this.ix = new Int32Array(${num(plan.indexSize)});` : ""}`;
}
