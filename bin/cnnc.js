#!/usr/bin/env node
// The cnnc command: runs the built CLI from dist/ when present, else the TypeScript source via tsx.
import { existsSync } from "node:fs";

const built = new URL("../dist/src/cli/main.js", import.meta.url);
let cli;
if (existsSync(built)) {
  cli = await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
// exitCode rather than exit(), so piped stdout is flushed first
process.exitCode = await cli.main(process.argv.slice(2));
