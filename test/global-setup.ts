// Run once before any test file: the cnnc command as an installed package has it, for the tests
// that spawn it many times. Under a checkout, bin/cnnc.js runs src/ through tsx, whose loader
// costs 2-3 s of CPU per process; the copy built here runs the same source transpiled once by
// esbuild (the transpiler tsx itself uses, file by file, so the code is the same), through the
// same bin/cnnc.js, which finds no src/ beside it and imports dist/ as a user's install does.
// Tests that must run the checkout's own bin under tsx keep spawning bin/cnnc.js in the root.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** bin/cnnc.js of a package built from this checkout's src/ (see test/global-setup.ts) */
    builtCli: string;
  }
}

const root = fileURLToPath(new URL("..", import.meta.url));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(root, dir, f));
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "cnnc-built-"));
  // the layout of the packed package (package.json "files"), as tsconfig.build.json emits it
  await build({
    entryPoints: [...typeScriptFiles("src"), ...typeScriptFiles("grammar")],
    outdir: join(dir, "dist"),
    outbase: root,
    format: "esm",
    platform: "node",
    target: "node20",
    logLevel: "warning",
  });
  mkdirSync(join(dir, "bin"));
  cpSync(join(root, "bin", "cnnc.js"), join(dir, "bin", "cnnc.js"));
  cpSync(join(root, "package.json"), join(dir, "package.json"));
  symlinkSync(join(root, "node_modules"), join(dir, "node_modules"), "dir");
  project.provide("builtCli", join(dir, "bin", "cnnc.js"));
  return () => rmSync(dir, { recursive: true, force: true });
}
