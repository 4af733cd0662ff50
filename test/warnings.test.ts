// Warnings (CNN4xxx): dead layers are reported and left out of the module, a warning does not
// stop compilation unless --deny-warnings says so, and the examples have none.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { analyze } from "../src/analyze.js";
import type { CliIo } from "../src/cli/io.js";
import { main } from "../src/cli/main.js";
import { summarize } from "../src/cli/summary.js";
import { loadModel } from "./helpers/load.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const deadBranch = readFileSync(join(root, "test/fixtures/warnings/dead-branch/input.cnn"), "utf8");
const work = mkdtempSync(join(tmpdir(), "cnnc-warn-"));

async function cnnc(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = { out: (t) => void (stdout += t), err: (t) => void (stderr += t), errColor: false, stdin: async () => new Uint8Array() };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe("dead layers", { timeout: 60_000 }, () => {
  it("are left out of the checked model: not counted in parameters or FLOPs", () => {
    const analysis = analyze(deadBranch, "dead.cnn");
    expect(analysis.diagnostics.map((d) => [d.code, d.severity])).toEqual([["CNN4001", "warning"]]);
    const model = analysis.checked!.models[0]!;
    expect(model.layers.map((l) => l.name)).toEqual(["features", "features.relu1", "logits.global_avgpool1", "logits"]);
    const [summary] = summarize(analysis.checked!, analysis.file);
    // conv2d(4, kernel 3) on 1 channel: 36 + 4; dense(10) on 4: 40 + 10; the dead dense(64) had 9,280
    expect(summary!.params).toBe(40 + 50);
    // every tensor id, producer and parameter index is consistent after renumbering
    model.tensors.forEach((t, i) => expect(t.id).toBe(i));
    model.layers.forEach((l, i) => {
      expect(l.index).toBe(i);
      expect(model.tensors[l.output]!.producer).toBe(i);
      for (const p of l.params) expect(model.params[p]!.layer).toBe(i);
    });
  });

  it("are not allocated, initialised or saved in the module, which still trains", async () => {
    const { Dead } = await loadModel(deadBranch);
    expect(Dead.paramCount).toBe(90);
    expect(Dead.parameters.map((p: { name: string }) => p.name)).toEqual([
      "features.kernel",
      "features.bias",
      "logits.kernel",
      "logits.bias",
    ]);
    const net = new Dead({ seed: 1 });
    const xs = Float32Array.from({ length: 2 * 64 }, (_, i) => Math.cos(i));
    expect(Number.isFinite(net.trainBatch(xs, new Int32Array([1, 7]), 2))).toBe(true);
  });

  it("keep every live parameter's name, as if the dead branch were deleted", () => {
    const deleted = deadBranch.replace(/^ {2}unused = .*$/m, "");
    const names = (text: string) => analyze(text).checked!.models[0]!.params.map((p) => p.name);
    expect(names(deadBranch)).toEqual(names(deleted));
  });
});

describe("--deny-warnings", { timeout: 60_000 }, () => {
  const input = join(work, "dead.cnn");
  writeFileSync(input, deadBranch);

  it("compiles with a warning on stderr, exit 0, without it", async () => {
    const run = await cnnc([input, "-o", join(work, "dead.ts")]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning[CNN4001]");
    expect(run.stderr).toMatch(/warning: 1 warning found\n$/);
  });

  it("turns the warning into an error, exit 1, for compile and check", async () => {
    const compiled = await cnnc([input, "-o", join(work, "denied.ts"), "--deny-warnings"]);
    expect(compiled.code).toBe(1);
    expect(compiled.stderr).toContain("error[CNN4001]");
    expect(readdirSync(work)).not.toContain("denied.ts");
    const checked = await cnnc(["check", input, "--deny-warnings", "--json"]);
    expect(checked.code).toBe(1);
    expect(JSON.parse(checked.stdout)).toMatchObject({ models: [], diagnostics: [{ code: "CNN4001", severity: "error" }] });
  });

  it("changes nothing for a program without warnings", async () => {
    for (const example of readdirSync(join(root, "examples")).filter((f) => f.endsWith(".cnn") && f !== "broken.cnn")) {
      const run = await cnnc(["check", join(root, "examples", example), "--deny-warnings"]);
      expect(run.code, example).toBe(0);
      expect(run.stderr, example).toBe("");
    }
  });
});
