// The TypeScript side of a `--target wasm` model: the module's bytes (base64, module-level),
// the compiled module cached on the class, the instance's exports, and the arena as views on
// its memory. Everything else in the class (argument checks, weights, safetensors, fit) is the
// TypeScript target's, unchanged: it reads and writes `this.a`, now a view on linear memory.
import { Scope, type MethodDeclarationStructure, type OptionalKind, type PropertyDeclarationStructure } from "ts-morph";
import { num } from "../code.js";
import type { ModelContext } from "../context.js";
import type { WasmModule } from "./build.js";

/** The module-level constant holding a model's wasm bytes (`$` as in meta.ts: no user name
 *  can shadow it). */
export const bytesConstant = (ctx: ModelContext): string => `$${ctx.className}$wasm`;

export function bytesStatement(ctx: ModelContext, wasm: WasmModule): string {
  return `/** ${ctx.className}'s kernels as a WebAssembly module (${wasm.bytes.length} bytes, base64). */
const ${bytesConstant(ctx)}: string = ${JSON.stringify(base64(wasm.bytes))};`;
}

export function wasmProperties(ctx: ModelContext, wasm: WasmModule): OptionalKind<PropertyDeclarationStructure>[] {
  return [
    {
      name: "wasmModule",
      scope: Scope.Private,
      isStatic: true,
      type: "object | null",
      initializer: "null",
      docs: ["The compiled module, shared by every instance (compiled on first use, or by create())."],
    },
    { name: "k", scope: Scope.Private, isReadonly: true, type: wasm.exportsType, docs: ["The instance's exports: one function per kernel, and the memory the arena lives in."] },
  ];
}

export function createMethod(ctx: ModelContext): OptionalKind<MethodDeclarationStructure> {
  return {
    name: "create",
    isStatic: true,
    isAsync: true,
    docs: [
      "Compiles the module asynchronously, then constructs: for browsers' main threads, which refuse to compile a module over 4 KB synchronously (`new` does that on first use, which Node, Deno, Bun and workers allow).",
    ],
    parameters: [{ name: "options", type: "{ seed?: number }", initializer: "{}" }],
    returnType: `Promise<${ctx.className}>`,
    statements: `${ctx.className}.wasmModule ??= await WebAssembly.compile($base64(${bytesConstant(ctx)}));
      return new ${ctx.className}(options);`,
  };
}

/** The constructor's allocation of the arena: an instance of the module and views on its memory. */
export function wasmArena(ctx: ModelContext, wasm: WasmModule): string {
  const plan = ctx.graph.plan;
  const imports = wasm.imports.map((f) => `${f}: Math.${f}`).join(", ");
  return `const module = (${ctx.className}.wasmModule ??= new WebAssembly.Module($base64(${bytesConstant(ctx)})));
      const k = new WebAssembly.Instance(module, { Math: { ${imports} } }).exports as ${wasm.exportsType};
      this.k = k;
      const a = new ${ctx.arena}(k.memory.buffer, 0, ${num(plan.arenaSize)});
      this.a = a;`;
}

/** Module-level, once per module: the WebAssembly API the models use (TypeScript's ES2022 lib
 *  declares none) and the base64 decoder (no runtime-specific API). */
export const wasmRuntime = `/** The parts of the runtime's WebAssembly API the models use. */
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
  compile(bytes: Uint8Array): Promise<object>;
};

/** The bytes of a base64 text. */
function $base64(text: string): Uint8Array {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const pad = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - pad);
  let bits = 0;
  let held = 0;
  let at = 0;
  for (let i = 0; i < text.length - pad; i++) {
    bits = ((bits << 6) | digits.indexOf(text[i]!)) & 0xffffff;
    held += 6;
    if (held >= 8) {
      held -= 8;
      bytes[at++] = (bits >>> held) & 255;
    }
  }
  return bytes;
}`;

/** Base64 without Buffer or btoa: the compiler also runs in browsers' workers. */
function base64(bytes: Uint8Array): string {
  const digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const [x, y, z] = [bytes[i]!, bytes[i + 1] ?? 0, bytes[i + 2] ?? 0];
    const n = (x << 16) | (y << 8) | z;
    out += digits[n >> 18]! + digits[(n >> 12) & 63]! + (i + 1 < bytes.length ? digits[(n >> 6) & 63]! : "=") + (i + 2 < bytes.length ? digits[n & 63]! : "=");
  }
  return out;
}
