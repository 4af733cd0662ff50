#!/usr/bin/env node
// The cnnc command. An installed package runs the compiled JavaScript in dist/ (built by
// `prepack`); a checkout of the repository, which has src/, runs the TypeScript source through
// tsx (a development dependency), so an edit takes effect without a rebuild.
import { existsSync } from "node:fs";

const source = new URL("../src/cli/main.ts", import.meta.url);
let cli;
if (existsSync(source)) {
  // binaryen (--target wasm) is 15 MB of JavaScript, which tsx's loader takes ten times longer
  // to load than Node does: loaded before tsx is registered, it comes from Node's module cache.
  if (process.argv.some((a, i) => a === "--target=wasm" || (a === "--target" && process.argv[i + 1] === "wasm"))) await import("binaryen");
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import(source.href);
} else {
  cli = await import(new URL("../dist/src/cli/main.js", import.meta.url).href);
}
// exitCode rather than exit(), so piped stdout is flushed first
process.exitCode = await cli.main(process.argv.slice(2));
