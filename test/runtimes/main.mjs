// Deno's, Bun's and Node's entry point: the session on the compiled module of the target named by
// the first argument, as JSON. Static imports (Deno needs a read permission for a computed one).
import * as ts from "./model-ts.mjs";
import * as wasm from "./model-wasm.mjs";
import { session } from "./driver.mjs";

const target = globalThis.Deno ? globalThis.Deno.args[0] : globalThis.process.argv[2];
console.log(JSON.stringify(await session((target === "wasm" ? wasm : ts).Net)));
