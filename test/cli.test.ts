// The real cnnc command, spawned as a user runs it: exit codes, output streams, --json shapes.
// The checkout's bin/cnnc.js (src/ under tsx) runs the first test; the rest spawn the same
// bin/cnnc.js in a package built from src/ by test/global-setup.ts, which skips tsx's loader
// (2-3 s of CPU a process).
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const checkoutBin = join(root, "bin", "cnnc.js");
const builtBin = inject("builtCli");
const work = mkdtempSync(join(tmpdir(), "cnnc-cli-"));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cnnc(args: readonly string[], stdin?: string, bin = builtBin): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd: work, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        const code = error ? Number((error as { code?: unknown }).code ?? 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? "");
  });
}

function writeSource(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

const valid = writeSource(
  "tiny.cnn",
  ["model Tiny {", "  input x: [4]", "  hidden = x |> dense(3) |> relu", "  output y = hidden |> dense(2)", "}", ""].join("\n"),
);
const syntaxError = writeSource("broken.cnn", ["model Broken {", "  input x [4]", "  y = x |> dense(3 4)", "}", ""].join("\n"));
const version = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version;

// Each run starts Node; on a busy machine that takes seconds, hence the long timeout.
describe("cnnc", { timeout: 180_000 }, () => {
  it("prints usage with --help and exits 0, from the checkout's bin under tsx", async () => {
    const run = await cnnc(["--help"], undefined, checkoutBin);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: cnnc <file\.cnn>/);
    expect(run.stdout).toContain("--precision");
  });

  it("prints the package version with --version", async () => {
    const run = await cnnc(["--version"]);
    expect(run).toMatchObject({ code: 0, stdout: `cnnc ${version}\n` });
  });

  it("exits 2 with a usage line for an unknown flag, a bad value or no input", async () => {
    for (const args of [["--bogus", "tiny.cnn"], ["tiny.cnn", "--precision", "f16"], [], ["check"], ["a.cnn", "b.cnn"]]) {
      const run = await cnnc(args);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stderr).toMatch(/^cnnc: .+\nrun 'cnnc --help' for usage\n$/);
      expect(run.stdout).toBe("");
    }
  });

  it("exits 2 with one clear line for a missing file", async () => {
    const run = await cnnc(["check", "missing.cnn"]);
    expect(run).toEqual({ code: 2, stdout: "", stderr: "cnnc: cannot read 'missing.cnn': no such file\n" });
  });

  it("compiles to the -o path, and refuses a directory that does not exist", async () => {
    const run = await cnnc([valid, "-o", join(work, "tiny-out.ts")]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(readFileSync(join(work, "tiny-out.ts"), "utf8")).toContain("class Tiny");
    const missing = await cnnc([valid, "-o", join(work, "out", "deep", "tiny.ts")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^cnnc: cannot write '.*tiny\.ts': the directory '.*deep' does not exist \(create it first\)\n$/);
    expect(existsSync(join(work, "out"))).toBe(false);
  });

  it("compiles next to the input by default, and to stdout with -o -", async () => {
    const named = writeSource("defaulted.cnn", readFileSync(valid, "utf8"));
    expect((await cnnc([named])).code).toBe(0);
    expect(existsSync(join(work, "defaulted.ts"))).toBe(true);
    const piped = await cnnc([valid, "-o", "-", "--precision=f64"]);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain("class Tiny");
    expect(piped.stdout).toContain("Float64Array");
  });

  it("reads the source from stdin with '-'", async () => {
    const run = await cnnc(["check", "-"], readFileSync(valid, "utf8"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("model Tiny");
  });

  it("exits 1 and renders syntax errors on stderr", async () => {
    const run = await cnnc([syntaxError, "-o", join(work, "never.ts")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("broken.cnn:2:11: error[CNN1002]: expected ':' after the input name, found '['");
    expect(run.stderr).toContain("error[CNN1002]: expected ',' or ')' after '3', found '4'");
    expect(run.stderr).toMatch(/error: 2 errors found\n$/);
    expect(existsSync(join(work, "never.ts"))).toBe(false);
  });

  it("exits 1 with JSON diagnostics on stdout with --json", async () => {
    const run = await cnnc(["check", syntaxError, "--json"]);
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as { models: unknown[]; diagnostics: Record<string, unknown>[] };
    expect(Object.keys(json)).toEqual(["file", "models", "diagnostics"]);
    expect(json.models).toEqual([]);
    expect(json.diagnostics).toHaveLength(2);
    expect(json.diagnostics[0]).toMatchObject({
      code: "CNN1002",
      severity: "error",
      // relative to the working directory, so output does not depend on where a checkout lives
      file: "broken.cnn",
      line: 2,
      column: 11,
      endLine: 2,
      endColumn: 12,
      notes: [],
    });
  });

  it("exits 1 for a checker error too", async () => {
    const unknownOp = writeSource("unknown.cnn", "model U {\n  input x: [4]\n  y = x |> densse(3)\n}\n");
    const run = await cnnc([unknownOp]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/unknown\.cnn:3:12: error\[CNN2\d{3}\]/);
  });

  it("prints the per-layer table with cnnc check", async () => {
    const run = await cnnc(["check", valid]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("model Tiny: input x [4] -> output y [2]");
    expect(lines[2]).toMatch(/^ {2}layer +op +output +params +flops +line$/);
    expect(run.stdout).toMatch(/hidden +dense +\[3\] +15 /);
    expect(lines.find((l) => l.trim().startsWith("total"))).toMatch(/total +23 +\d+$/);
  });

  it("prints exactly the documented JSON with cnnc check --json", async () => {
    const run = await cnnc(["check", valid, "--json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(["file", "models", "diagnostics"]);
    expect(json.file).toBe("tiny.cnn");
    expect(json.diagnostics).toEqual([]);
    const [model] = json.models;
    expect(Object.keys(model)).toEqual(["name", "input", "output", "tensors", "layers", "params", "trainableParams", "flops"]);
    expect(model).toMatchObject({ name: "Tiny", input: { name: "x", shape: [4] }, output: { name: "y", shape: [2] }, params: 23, trainableParams: 23 });
    expect(model.tensors).toEqual([
      { name: "x", shape: [4] },
      { name: "hidden", shape: [3] },
      { name: "y", shape: [2] },
    ]);
    expect(Object.keys(model.layers[0])).toEqual(["name", "op", "shape", "params", "flops", "line"]);
    expect(model.layers.map((l: { op: string; line: number }) => [l.op, l.line])).toEqual([
      ["dense", 3],
      ["relu", 3],
      ["dense", 4],
    ]);
    const sum = model.layers.reduce((a: number, l: { flops: number }) => a + l.flops, 0);
    expect(model.flops).toBe(sum);
    // forward FLOPs of dense(3) on [4]: 4 * 3 multiply-adds counted as 2
    expect(model.layers[0].flops).toBeGreaterThanOrEqual(2 * 4 * 3);
  });

  it("rejects --json together with -o -", async () => {
    const run = await cnnc([valid, "-o", "-", "--json"]);
    expect(run.code).toBe(2);
  });

  it("exits 2 when the output cannot be written", async () => {
    const run = await cnnc([valid, "-o", join(valid, "inside-a-file.ts")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^cnnc: cannot write '.*inside-a-file\.ts': .+\n$/);
  });

  it("takes resource limits from --max-* flags", async () => {
    const tight = await cnnc(["check", valid, "--max-elements", "2", "--json"]);
    expect(tight.code).toBe(1);
    expect(JSON.parse(tight.stdout).diagnostics[0].message).toMatch(/limit of 2\b/);
    const bad = await cnnc(["check", valid, "--max-layers", "none"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-layers needs a positive integer/);
  });
});
