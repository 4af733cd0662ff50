// Compiles the examples, the bench workloads and random diff networks (test/diff/generate.ts)
// with this checkout's compiler and with a reference revision's, in every build, and reports
// each module that differs: the check that a back-end refactoring (deriving a hand-written
// schedule by passes, say) emits byte-identical code. Usage:
//   npx tsx scripts/same-output.ts <revision> [count=200] [first seed=20250001]
// The reference is checked out into a temporary git worktree (node_modules shared), removed after.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { compile, type CompileOptions } from "../src/index.js";
import { generateNetwork } from "../test/diff/generate.js";
import { printNetwork } from "../test/diff/print.js";

type Compile = typeof compile;

const builds: { name: string; options: Partial<CompileOptions>; everySeed: boolean }[] = [
  { name: "ts f32", options: { target: "ts", precision: "f32" }, everySeed: true },
  { name: "ts f64", options: { target: "ts", precision: "f64" }, everySeed: true },
  { name: "ts f32 arena", options: { target: "ts", precision: "f32", float32Arena: true }, everySeed: true },
  { name: "ts input gradient", options: { target: "ts", precision: "f64", inputGradient: true }, everySeed: true },
  { name: "ts readable", options: { target: "ts", precision: "f32", readable: true }, everySeed: true },
  // the wasm builds take longer; a quarter of the seeds
  { name: "wasm scalar", options: { target: "wasm", precision: "f32", vectorKernels: false }, everySeed: false },
  { name: "wasm f64", options: { target: "wasm", precision: "f64" }, everySeed: false },
  { name: "wasm f32x4", options: { target: "wasm", precision: "f32" }, everySeed: false },
];

function sources(root: string, count: number, first: number): { name: string; text: string; seed?: number }[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory() && e.name !== "node_modules") walk(path);
      else if (path.endsWith(".cnn")) files.push(path);
    }
  };
  for (const dir of ["examples", "bench"]) if (existsSync(join(root, dir))) walk(join(root, dir));
  const seeds = Array.from({ length: count }, (_, k) => first + k);
  return [...files.map((f) => ({ name: f, text: readFileSync(f, "utf8") })), ...seeds.map((seed) => ({ name: `seed ${seed}`, text: printNetwork(generateNetwork(seed)).source, seed }))];
}

async function output(c: Compile, text: string, options: Partial<CompileOptions>): Promise<string> {
  try {
    const r = await c(text, { ...options, format: false, path: "model.cnn" });
    return r.code ?? `no code: ${r.diagnostics.map((d) => d.code).join(", ")}`;
  } catch (e) {
    return `threw: ${String(e)}`;
  }
}

async function main(): Promise<number> {
  const [revision, countArg, firstArg] = process.argv.slice(2);
  if (revision === undefined) throw new Error("usage: npx tsx scripts/same-output.ts <revision> [count] [first seed]");
  const here = resolve(import.meta.dirname, "..");
  const ref = join(mkdtempSync(join(tmpdir(), "cnnc-ref-")), "tree");
  execFileSync("git", ["-C", here, "worktree", "add", "--detach", ref, revision], { stdio: "ignore" });
  try {
    symlinkSync(join(here, "node_modules"), join(ref, "node_modules"));
    const reference = ((await import(pathToFileURL(join(ref, "src/index.ts")).href)) as { compile: Compile }).compile;
    let [same, differ] = [0, 0];
    for (const s of sources(here, Number(countArg ?? 200), Number(firstArg ?? 20250001)))
      for (const build of builds) {
        if (s.seed !== undefined && !build.everySeed && s.seed % 4 !== 0) continue;
        const [want, got] = [await output(reference, s.text, build.options), await output(compile, s.text, build.options)];
        if (want === got) same++;
        else if (++differ <= 20) console.log(`differs: ${s.name}, ${build.name}${got.startsWith("threw") ? `: ${got.slice(0, 300)}` : ""}`);
      }
    console.log(`${same} modules the same as ${revision}'s, ${differ} different`);
    return differ === 0 ? 0 : 1;
  } finally {
    execFileSync("git", ["-C", here, "worktree", "remove", "--force", ref], { stdio: "ignore" });
    rmSync(join(ref, ".."), { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
