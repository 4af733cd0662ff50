// --watch, spawned as a user runs it: the source rewritten good, broken, good; after each, the
// output file and the reprinted diagnostics are observed; Ctrl-C (SIGINT) ends it with status 0.
// The compile test runs the checkout's bin/cnnc.js (src/ under tsx); the check test the same bin
// in the package test/global-setup.ts builds from src/, without tsx's loader.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const checkoutBin = join(root, "bin", "cnnc.js");

const good = (name: string) => `model ${name} {\n  input x: [4]\n  y = x |> dense(3) |> relu\n}\n`;
const broken = "model Broken {\n  input x: [4]\n  y = x |> dense(3, kernal: 2)\n}\n";

/** A spawned `cnnc ... --watch` whose stderr can be awaited, run by run. */
class Watcher {
  readonly child: ChildProcess;
  private stderr = "";
  private waiters: (() => void)[] = [];

  constructor(args: readonly string[], cwd: string, bin = checkoutBin) {
    this.child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    this.child.stderr!.on("data", (chunk: Buffer) => {
      this.stderr += chunk.toString("utf8");
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  private seen = 0;

  /**
   * The stderr of the next run that ends with `status` ("done" or "failed"). Runs in between with
   * another status are passed over: one save can reach the watcher as two events far enough
   * apart, on a busy machine, to make two runs of the same text.
   */
  async next(status: string): Promise<string> {
    for (;;) {
      const outputs = this.stderr.split(/^\[watch\] .*\n/m);
      const statuses = [...this.stderr.matchAll(/^\[watch\] (\w+);/gm)].map((m) => m[1]!);
      const found = statuses.findIndex((s, i) => i >= this.seen && s === status);
      if (found >= 0) {
        this.seen = found + 1;
        return outputs[found]!;
      }
      await new Promise<void>((wake) => this.waiters.push(wake));
    }
  }

  async interrupt(): Promise<{ code: number | null; stderr: string }> {
    const exited = new Promise<number | null>((resolve) => this.child.once("exit", (code) => resolve(code)));
    this.child.kill("SIGINT");
    return { code: await exited, stderr: this.stderr };
  }
}

// concurrent: most of each test is Node and tsx starting up
describe.concurrent("--watch", { timeout: 120_000 }, () => {
  it("compile: recompiles on each change and keeps the last good output while the source is broken", async () => {
    const work = mkdtempSync(join(tmpdir(), "cnnc-watch-"));
    const source = join(work, "net.cnn");
    const output = join(work, "net.ts");
    writeFileSync(source, good("First"));
    const watcher = new Watcher([source, "-o", output, "--watch"], work);

    expect(await watcher.next("done")).toBe("");
    expect(readFileSync(output, "utf8")).toContain("export class First");

    writeFileSync(source, broken);
    const errors = await watcher.next("failed");
    expect(errors).toContain("error[CNN2007]: `dense` has no argument `kernal`");
    expect(readFileSync(output, "utf8")).toContain("export class First");

    writeFileSync(source, good("Second"));
    expect(await watcher.next("done")).toBe("");
    expect(readFileSync(output, "utf8")).toContain("export class Second");

    const end = await watcher.interrupt();
    expect(end.code).toBe(0);
    expect(end.stderr).toMatch(/\[watch\] stopped\n$/);
  });

  it("check: reprints the table or the diagnostics on each change", async () => {
    const work = mkdtempSync(join(tmpdir(), "cnnc-watch-"));
    const source = join(work, "net.cnn");
    writeFileSync(source, good("First"));
    const watcher = new Watcher(["check", source, "--watch"], work, inject("builtCli"));
    let stdout = "";
    watcher.child.stdout!.on("data", (chunk: Buffer) => void (stdout += chunk.toString("utf8")));

    await watcher.next("done");
    expect(stdout).toContain("model First: input x [4] -> output y [3]");
    writeFileSync(source, broken);
    expect(await watcher.next("failed")).toContain("error[CNN2007]");
    writeFileSync(source, good("Second"));
    await watcher.next("done");
    expect(stdout).toContain("model Second: input x [4] -> output y [3]");
    expect((await watcher.interrupt()).code).toBe(0);
  });
});
