// Every runtime the README names (issue 12, item 4): one generated JavaScript module, one
// session (test/runtimes/driver.mjs: train a few steps, fit, predict, save and load weights),
// run under Node in this process and under Deno, Bun and real headless Chromium, which must
// agree with Node. Deno and Bun come from npm (devDependencies), Chromium from Debian's package
// (.ci/run installs it); a missing runtime fails its test, it is never skipped.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { targets, type Target } from "./helpers/targets.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "cnnc-runtimes-"));
const chromiumPath = "/usr/bin/chromium";

const source = `model Net {
  input x: [8, 8, 1]
  features = x |> conv2d(4, kernel: 3, padding: same) |> relu |> maxpool(2) |> flatten
  logits = features |> dense(8) |> tanh |> dense(3)
  output probs = logits |> softmax
  train {
    loss softmax_cross_entropy(logits)
    optimizer adam(lr: 0.01)
  }
}
`;

interface Session {
  readonly runtime: string;
  readonly losses: number[];
  readonly fitLosses: number[];
  readonly probs: number[];
  readonly weights: number[];
  readonly savedBytes: number;
  readonly reloaded: boolean;
}

const node: Partial<Record<Target, Session>> = {};

beforeAll(async () => {
  for (const file of ["driver.mjs", "main.mjs"]) copyFileSync(join(root, "test", "runtimes", file), join(work, file));
  const { session } = await import(pathToFileURL(join(work, "driver.mjs")).href);
  for (const target of targets) {
    const result = await compile(source, { path: "net.cnn", emit: "js", format: false, target });
    if (!result.code) throw new Error(JSON.stringify(result.diagnostics));
    writeFileSync(join(work, `model-${target}.mjs`), result.code);
    const { Net } = await import(pathToFileURL(join(work, `model-${target}.mjs`)).href);
    node[target] = await session(Net);
  }
}, 120_000);

function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: work, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Engines compute Math.exp and Math.tanh each in their own way, last bits apart at most; the
 *  results must agree to float32 precision, and a reloaded model must match its own run. */
function expectAgreesWithNode(other: Session, name: string, target: Target): void {
  const node = nodeSession(target);
  expect(other.runtime.startsWith(name), other.runtime).toBe(true);
  expect(other.reloaded).toBe(true);
  expect(other.savedBytes).toBe(node.savedBytes);
  for (const key of ["losses", "fitLosses", "probs", "weights"] as const) {
    expect(other[key].length, key).toBe(node[key].length);
    other[key].forEach((value, i) => expect(Math.abs(value - node[key][i]!), `${name} ${key}[${i}]`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(node[key][i]!))));
  }
}

const bin = (name: string): string => join(root, "node_modules", ".bin", name);
const nodeSession = (target: Target): Session => node[target]!;

describe.each(targets)("the generated module in every runtime (--target %s)", { timeout: 120_000 }, (target) => {
  it("trains, predicts, saves and loads under Node", () => {
    const node = nodeSession(target);
    expect(node.runtime).toMatch(/^node /);
    expect(node.reloaded).toBe(true);
    expect(node.losses[3]).toBeLessThan(node.losses[0]!);
    expect(node.probs.every(Number.isFinite)).toBe(true);
  });

  it("computes the same under Deno", async () => {
    const deno = join(work, "deno-dir");
    const out = await run(bin("deno"), ["run", "--no-prompt", "--no-config", "--no-lock", "main.mjs", target], { DENO_DIR: deno, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" });
    expectAgreesWithNode(JSON.parse(out) as Session, "deno", target);
  });

  it("computes the same under Bun", async () => {
    const out = await run(bin("bun"), ["run", "main.mjs", target], { BUN_RUNTIME_TRANSPILER_CACHE_PATH: "0", NO_COLOR: "1" });
    expectAgreesWithNode(JSON.parse(out) as Session, "bun", target);
  });

  it("computes the same in headless Chromium", async () => {
    const context = await chromium.launchPersistentContext(mkdtempSync(join(work, "chromium-")), {
      executablePath: chromiumPath,
      headless: true,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    try {
      const page = await context.newPage();
      // the page and its modules come from this route, never from a network
      await page.route("http://cnnc.test/**", (route) => {
        const name = new URL(route.request().url()).pathname.slice(1);
        if (name === "") return route.fulfill({ contentType: "text/html", body: "<!doctype html><title>cnnc</title>" });
        return route.fulfill({ contentType: "text/javascript", body: readFileSync(join(work, name), "utf8") });
      });
      await page.goto("http://cnnc.test/");
      // as text: vitest rewrites import() in the test's own functions
      const result = await page.evaluate(`Promise.all([import("/model-${target}.mjs"), import("/driver.mjs")]).then(([m, d]) => d.session(m.Net))`);
      expectAgreesWithNode(result as Session, "browser", target);
    } finally {
      await context.close();
    }
  });
});
