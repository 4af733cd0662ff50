// `npm run playground:build`: the static site in playground/dist/ — the page, the two workers,
// the examples and the MNIST digits. No network at build or run time.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { opNames } from "../../src/ops/index.js";
import { lossNames, optimizerNames } from "../../src/check/train/index.js";
import { mnistAsset } from "./mnist.js";
import { browserCompiler, packageVersion, virtualModules } from "./plugins.js";

const playground = fileURLToPath(new URL("../", import.meta.url));
const repo = join(playground, "..");
export const defaultOutDir = join(playground, "dist");

export interface BuiltFile {
  readonly name: string;
  readonly bytes: number;
}

/** Builds the site into `outDir` (emptied first) and returns its files with their sizes. */
export async function buildPlayground(outDir = defaultOutDir): Promise<BuiltFile[]> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: {
      page: join(playground, "src/page/main.ts"),
      analyze: join(playground, "src/worker/analyze.ts"),
      train: join(playground, "src/worker/train.ts"),
    },
    outdir: outDir,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    // the compiler's lazy import of binaryen serves --target wasm only, which the playground never asks for
    external: ["binaryen"],
    logLevel: "warning",
    plugins: [
      browserCompiler(packageVersion()),
      virtualModules({ "cnnc:examples": readExamples(), "cnnc:vocabulary": { ops: opNames, losses: lossNames, optimizers: optimizerNames } }),
    ],
  });
  for (const file of ["index.html", "style.css"]) copyFileSync(join(playground, "src/page", file), join(outDir, file));
  copyFileSync(join(repo, "node_modules/uplot/dist/uPlot.min.css"), join(outDir, "uPlot.min.css"));
  writeFileSync(join(outDir, "mnist.bin.gz"), mnistAsset());
  return readdirSync(outDir).map((name) => ({ name, bytes: statSync(join(outDir, name)).size }));
}

/** Every examples/*.cnn, LeNet first (it is the one that trains on MNIST). */
function readExamples(): { name: string; source: string }[] {
  const dir = join(repo, "examples");
  const names = readdirSync(dir).filter((f) => f.endsWith(".cnn")).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return names.map((name) => ({ name, source: readFileSync(join(dir, name), "utf8") }));
}

function rank(name: string): number {
  return name === "lenet.cnn" ? 0 : 1;
}

export function formatSizes(files: readonly BuiltFile[]): string {
  return files.map((f) => `  ${f.name.padEnd(16)} ${(f.bytes / 1024).toFixed(0).padStart(6)} KiB`).join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const start = performance.now();
  const files = await buildPlayground();
  console.log(`built ${defaultOutDir} in ${((performance.now() - start) / 1000).toFixed(1)} s\n${formatSizes(files)}`);
}
