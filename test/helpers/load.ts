// Compile .cnn source and load the generated module in this process, as a user's bundler would:
// TypeScript transpiled to JavaScript, written to a temp file, imported.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { transform } from "esbuild";
import { compile, type CompileOptions } from "../../src/index.js";
import { renderDiagnostics } from "../../src/diagnostics/render.js";

const dir = mkdtempSync(join(tmpdir(), "cnnc-test-"));
let counter = 0;

/** Compile `source` and return the generated module's exports; throws with rendered diagnostics. */
export async function loadModel(source: string, options: Partial<CompileOptions> = {}): Promise<Record<string, any>> {
  // Formatting never changes behaviour; tests that execute the code skip it unless asked.
  const result = await compile(source, { format: false, ...options });
  if (!result.code) throw new Error(renderDiagnostics(result.diagnostics, result.file));
  return importTypeScript(result.code);
}

export async function importTypeScript(code: string): Promise<Record<string, any>> {
  // esbuild strips the types in milliseconds; tsc's transpileModule takes seconds on big modules.
  const js = (await transform(code, { loader: "ts", format: "esm", target: "es2022" })).code;
  const path = join(dir, `m${process.pid}_${counter++}.mjs`);
  writeFileSync(path, js);
  return import(pathToFileURL(path).href);
}
