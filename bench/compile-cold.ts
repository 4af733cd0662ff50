// One compile() in a process of its own, for the "first compile()" a user of the CLI meets: the
// harness's own compiles share one process, so only its very first one is cold. Run by
// cnnc-build.ts as `node dist/bench/compile-cold.js <source> <target>` in the built package;
// prints {"seconds": ...} (the compile() call alone, after the compiler's modules are imported).
import { readFileSync } from "node:fs";
import { now } from "./timing.js";

const [source, target] = process.argv.slice(2);
if (!source || (target !== "ts" && target !== "wasm")) throw new Error("usage: compile-cold.ts <source.cnn> ts|wasm");
const { compile } = await import("../src/index.js");
const text = readFileSync(source, "utf8");
const options = { path: source, precision: "f32" as const, inputGradient: false, target: target as "ts" | "wasm" };
const start = now();
const result = await compile(text, options);
const seconds = now() - start;
if (result.code === undefined) throw new Error(`${source} did not compile`);
process.stdout.write(`${JSON.stringify({ seconds })}\n`);
