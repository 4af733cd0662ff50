// cnnc as a package (issue 12, item 2): `npm pack` (whose prepack builds dist/) ships only what
// users need; the tarball installs into a scratch project offline, where `npx cnnc` runs the
// compiled JavaScript, `import { compile, analyze } from "cnnc"` works with its types, and a
// generated .js module trains and predicts under plain Node.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { strictUserOptions, typeCheck } from "./helpers/tsc.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    // npm's own variables (npm test sets them) would point the child at this repository
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("npm_")));
    execFile(command, args, { cwd, env: { ...env, NO_COLOR: "1" }, maxBuffer: 2 ** 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The repository as `npm pack` sees it, copied, so that prepack builds dist/ there and not in
 *  the checkout under test (node_modules is linked: the build needs TypeScript). */
function copyOfRepository(into: string): string {
  const copy = join(into, "cnnc");
  mkdirSync(copy);
  for (const entry of ["package.json", "README.md", "tsconfig.json", "tsconfig.build.json", "bin", "src", "grammar", "docs"]) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"), "dir");
  return copy;
}

/** A lockfile for the scratch project: the tarball, and cnnc's runtime dependencies exactly as
 *  this repository locks them, so `npm ci --offline` needs nothing but the npm cache that the
 *  repository's own `npm ci` filled (no registry metadata, no network). */
function scratchLockfile(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const self = lock.packages[""]!;
  const runtime = Object.entries(lock.packages).filter(([path, entry]) => path !== "" && entry["dev"] !== true);
  return {
    name: "scratch",
    lockfileVersion: 3,
    requires: true,
    packages: {
      "": { name: "scratch", dependencies: { cnnc: `file:${tarball}` } },
      "node_modules/cnnc": { version, resolved: `file:${tarball}`, license: self["license"], dependencies: self["dependencies"], bin: self["bin"], engines: self["engines"] },
      ...Object.fromEntries(runtime),
    },
  };
}

const tiny = ["model Tiny {", "  input x: [4]", "  output y = x |> dense(3) |> relu |> dense(2)", "  train {", "    loss mse(y)", "    optimizer sgd(lr: 0.1)", "  }", "}", ""].join("\n");

const user = `import { analyze, compile, renderDiagnostics } from "cnnc";
import { Tiny } from "./tiny.js";

const started = performance.now();
const result = await compile(${JSON.stringify(tiny)}, { path: "tiny.cnn", emit: "js", format: false });
const seconds = (performance.now() - started) / 1000;
const broken = analyze("model M { input x: [4] output y = x |> dense(0) }", "m.cnn");
const net = new Tiny({ seed: 1 });
const xs = new Float32Array([1, 0, 0, 1, 0, 1, 1, 0]);
const targets = new Float32Array([1, 0, 0, 1]);
const first = net.trainBatch(xs, targets, 2);
for (let i = 0; i < 50; i++) net.trainBatch(xs, targets, 2);
const last = net.trainBatch(xs, targets, 2);
const copy = new Tiny({ seed: 2 });
copy.loadWeights(net.saveWeights());
console.log(JSON.stringify({
  compiled: result.code?.includes("export class Tiny") && result.declarations?.includes("export declare class Tiny"),
  codes: broken.diagnostics.map((d) => d.code),
  rendered: renderDiagnostics(broken.diagnostics, broken.file).includes("m.cnn:1:"),
  seconds,
  learns: last < first / 4,
  same: [...copy.predict([1, 0, 0, 1])].join() === [...net.predict([1, 0, 0, 1])].join(),
}));
`;

const typedUser = `import { analyze, compile, type CompileOptions, type CompileResult, type Diagnostic } from "cnnc";
const options: Partial<CompileOptions> = { emit: "js", precision: "f64" };
const result: CompileResult = await compile("", options);
const code: string | undefined = result.code;
const declarations: string | undefined = result.declarations;
const diagnostics: readonly Diagnostic[] = analyze("", "x.cnn").diagnostics;
// @ts-expect-error: emit is "ts" or "js"
await compile("", { emit: "wasm" });
export const used = [code, declarations, diagnostics];
`;

const dir = mkdtempSync(join(tmpdir(), "cnnc-pack-"));
// the scratch project's node_modules is about 140 MB (binaryen, for --target wasm, is 104 MB of it)
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed package", { timeout: 240_000 }, () => {
  it("packs only what users need, installs offline, and runs npx cnnc, the library and a .js module", async () => {
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir], copyOfRepository(dir));
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
    const files = info!.files.map((f) => f.path);
    expect(files).toContain("dist/src/index.js");
    expect(files).toContain("dist/src/index.d.ts");
    expect(files).toContain("bin/cnnc.js");
    // no sources, tests, benchmarks, examples or generated modules
    expect(files.filter((f) => !/^(bin|dist|docs)\//.test(f) && !["package.json", "README.md"].includes(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);

    const scratch = join(dir, "scratch");
    mkdirSync(scratch);
    writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module", dependencies: { cnnc: `file:../${info!.filename}` } }));
    writeFileSync(join(scratch, "package-lock.json"), JSON.stringify(scratchLockfile(`../${info!.filename}`)));
    const installed = await run("npm", ["ci", "--offline", "--no-audit", "--no-fund"], scratch);
    expect(installed.code, installed.stderr).toBe(0);
    expect(existsSync(join(scratch, "node_modules", "cnnc", "dist", "src", "cli", "main.js"))).toBe(true);
    expect(existsSync(join(scratch, "node_modules", "cnnc", "src"))).toBe(false);

    expect(await run("npx", ["--offline", "cnnc", "--version"], scratch)).toMatchObject({ code: 0, stdout: `cnnc ${version}\n` });
    writeFileSync(join(scratch, "tiny.cnn"), tiny);
    expect(await run("npx", ["--offline", "cnnc", "tiny.cnn", "-o", "tiny.js"], scratch)).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(scratch, "tiny.d.ts"), "utf8")).toContain("export declare class Tiny");

    writeFileSync(join(scratch, "use.js"), user);
    const used = await run(process.execPath, ["use.js"], scratch);
    expect(used.stderr).toBe("");
    const report = JSON.parse(used.stdout) as { compiled: boolean; codes: string[]; seconds: number; learns: boolean; same: boolean };
    expect(report).toMatchObject({ compiled: true, rendered: true, learns: true, same: true });
    expect(report.codes.length).toBeGreaterThan(0);

    // the library's types, as a strict TypeScript project resolves them through `exports`
    writeFileSync(join(scratch, "typed.ts"), typedUser);
    const options = { ...strictUserOptions, module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022"], types: [], skipLibCheck: true };
    expect(await typeCheck([join(scratch, "typed.ts")], options)).toBe("");
  });
});
