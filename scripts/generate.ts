// Regenerates generated/ from examples/*.cnn, and the name lists of the editor grammar from the
// compiler's registries. The freshness tests call the same functions, so what is committed is
// exactly what the compiler produces.
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../src/index.js";
import { renderDiagnostics } from "../src/diagnostics/render.js";
import { lossNames, optimizerNames } from "../src/check/train/index.js";
import { opNames } from "../src/ops/index.js";

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The example sources that have a committed compiled module, by base name (broken.cnn is
 *  the example of diagnostics and compiles to nothing). */
export function exampleNames(): string[] {
  return readdirSync(join(root, "examples"))
    .filter((f) => f.endsWith(".cnn") && f !== "broken.cnn")
    .map((f) => f.slice(0, -4))
    .sort();
}

/** One committed module: an example and the build it was compiled with. */
export interface GeneratedFile {
  /** its name in generated/ */
  readonly file: string;
  readonly example: string;
  readonly readable: boolean;
  /** the target it was compiled for (default "ts") */
  readonly target?: "ts" | "wasm";
}

/** Every committed module: each example tuned, LeNet's readable build for the README, and
 *  LeNet on the WebAssembly target. */
export function generatedFiles(): GeneratedFile[] {
  return [
    ...exampleNames().map((example) => ({ file: `${example}.ts`, example, readable: false })),
    { file: "lenet.readable.ts", example: "lenet", readable: true },
    { file: "lenet.wasm.ts", example: "lenet", readable: false, target: "wasm" },
  ];
}

/** Compiles examples/<name>.cnn and returns the module text (not written). */
export async function generateExample(name: string, readable = false, target: "ts" | "wasm" = "ts"): Promise<string> {
  const path = `examples/${name}.cnn`;
  const result = await compile(readFileSync(join(root, path), "utf8"), { path, readable, target });
  if (!result.code) throw new Error(renderDiagnostics(result.diagnostics, result.file));
  return result.code;
}

export async function writeGenerated(g: GeneratedFile): Promise<string> {
  const out = join(root, "generated", g.file);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await generateExample(g.example, g.readable, g.target));
  return out;
}

export async function writeExample(name: string, target: "ts" | "wasm" = "ts"): Promise<string> {
  return writeGenerated({ file: target === "wasm" ? `${name}.wasm.ts` : `${name}.ts`, example: name, readable: false, target });
}

export const grammarPath = join(root, "editors", "vscode", "syntaxes", "cnn.tmLanguage.json");

interface Grammar {
  readonly repository: { readonly ops: { readonly patterns: { readonly name: string; match: string }[] } };
}

/** The TextMate grammar's text with its op, loss and optimizer alternations taken from the
 *  registries (an op added to src/ops/index.ts reaches editors by `npm run generate`). */
export function grammarWithNames(text: string): string {
  const grammar = JSON.parse(text) as Grammar;
  const lists: Record<string, readonly string[]> = {
    "support.function.op.cnn": opNames,
    "support.function.loss.cnn": lossNames,
    "support.function.optimizer.cnn": optimizerNames,
  };
  for (const pattern of grammar.repository.ops.patterns) {
    const names = lists[pattern.name];
    if (names !== undefined) pattern.match = `\\b(?:${names.join("|")})\\b`;
  }
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const g of generatedFiles()) console.log(`wrote ${await writeGenerated(g)}`);
  writeFileSync(grammarPath, grammarWithNames(readFileSync(grammarPath, "utf8")));
  console.log(`wrote ${grammarPath} (its name lists)`);
}
