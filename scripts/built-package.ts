// cnnc as an installed package has it: src/ and grammar/ transpiled once by esbuild (the
// transpiler tsx itself uses, file by file, so the code is the same) in the layout of the packed
// package (package.json "files", as tsconfig.build.json emits it), run by plain Node. Used where
// a checkout's tsx loader would distort what is measured or cost too much per process: the
// tests that spawn the CLI many times (test/global-setup.ts) and the harness's fresh-process
// compile (bench/cnnc-build.ts; tsx's loader alone takes ~13 s over binaryen's 14.8 MB module).
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));

function typeScriptFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .map((f) => join(root, dir, f));
}

/** Builds the package into `dir` (dist/, bin/, package.json, node_modules as a link to the
 *  checkout's); `extra` are more of the checkout's .ts files (relative to its root) to build
 *  beside, at the same relative paths under dist/. */
export async function buildPackage(dir: string, extra: readonly string[] = []): Promise<void> {
  await build({
    entryPoints: [...typeScriptFiles("src"), ...typeScriptFiles("grammar"), ...extra.map((f) => join(root, f))],
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
}
