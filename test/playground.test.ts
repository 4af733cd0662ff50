// The playground in a real browser: build and serve the site, open it in headless Chromium
// (Debian's, driven by playwright-core), and use it as a person would — type, train, draw,
// download — then load what it gave back in Node. Any console error or uncaught exception fails.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { launchChromium } from "./helpers/chromium.js";
import { buildPlayground, type BuiltFile } from "../playground/build/build.js";
import { servePlayground } from "../playground/build/serve.js";
import { analyze, compile } from "../src/index.js";
import { summarize } from "../src/cli/summary.js";
import { decodeMnist } from "../playground/src/shared/mnist.js";

const lenet = readFileSync(new URL("../examples/lenet.cnn", import.meta.url), "utf8");
const broken = readFileSync(new URL("../examples/broken.cnn", import.meta.url), "utf8");

const work = mkdtempSync(join(tmpdir(), "cnnc-playground-"));
const shots = join(work, "screenshots");
const errors: string[] = [];
let files: BuiltFile[] = [];
let server: Server | undefined;
let context: BrowserContext | undefined;
let page: Page;

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Replaces the editor's text as a paste would, then types a comment at the end key by key. */
async function typeProgram(text: string, lastLine: string): Promise<void> {
  await page.click("#editor .cm-content");
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText(text);
  await page.keyboard.press("Control+End");
  await page.keyboard.type(lastLine, { delay: 5 });
}

beforeAll(async () => {
  files = await buildPlayground(join(work, "site"));
  const served = await servePlayground(join(work, "site"));
  server = served.server;
  context = await launchChromium({ acceptDownloads: true });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  context.on("weberror", (error) => errors.push(`uncaught: ${error.error().message}`));
  await page.goto(served.url);
  console.log(`playground test: screenshots in ${shots}`);
}, 120_000);

afterAll(async () => {
  await context?.close();
  server?.close();
});

describe("the playground in headless Chromium", () => {
  it("builds a site with the page, two workers and the MNIST digits", () => {
    const size = (name: string): number => files.find((f) => f.name === name)?.bytes ?? 0;
    for (const name of ["index.html", "page.js", "analyze.js", "train.js", "mnist.bin.gz"]) expect(size(name), name).toBeGreaterThan(0);
    const kib = (name: string): string => `${(size(name) / 1024).toFixed(0)} KiB`;
    console.log(`playground bundle: page.js ${kib("page.js")}, analyze.js ${kib("analyze.js")}, train.js ${kib("train.js")}, mnist.bin.gz ${kib("mnist.bin.gz")}`);
  });

  it("analyses the preloaded LeNet as soon as it opens", async () => {
    await page.waitForSelector("#shapes table[data-model=LeNet]");
    const first = await page.evaluate(() => Number(document.body.dataset.firstAnalysisMs));
    expect(first).toBeGreaterThan(0);
    console.log(`playground: first analysis shown ${first} ms after navigation started`);
    const examples = await page.$$eval("#examples option", (options) => options.map((o) => o.textContent));
    expect(examples[0]).toBe("lenet.cnn");
    expect(examples).toContain("broken.cnn");
    await shot("1-opened");
  });

  it("loads an example from the menu, and explains why it cannot train on MNIST", async () => {
    await page.selectOption("#examples", "cifar.cnn");
    await page.waitForSelector("#shapes table[data-model=Cifar]");
    expect(await page.textContent("#shapes caption")).toBe("Cifar: [32, 32, 3] -> [10]");
    expect(await page.isDisabled("#train")).toBe(true);
    expect(await page.isDisabled("#compile")).toBe(false);
    expect(await page.getAttribute("#train", "title")).toContain("MNIST training needs [28, 28, 1] -> [10]");
  });

  it("shows a broken program's diagnostics with their codes, underlined, and turns training off", async () => {
    await typeProgram(broken, "# still broken");
    await page.waitForSelector("#diagnostics li[data-code=CNN3001]");
    const codes = await page.$$eval("#diagnostics li", (items) => items.map((i) => i.dataset.code));
    expect(codes).toEqual(["CNN2007", "CNN3002", "CNN3001"]);
    expect(await page.locator("#shapes table").count()).toBe(0);
    expect(await page.isDisabled("#train")).toBe(true);
    expect(await page.isDisabled("#compile")).toBe(true);
    // hovering the misspelt argument shows the message and its help
    await page.locator(".cm-lintRange-error").first().hover();
    const tooltip = page.locator(".cm-tooltip-lint");
    await tooltip.waitFor();
    expect(await tooltip.textContent()).toContain("error[CNN2007]: `conv2d` has no argument `kernal`");
    expect(await tooltip.textContent()).toContain("help: did you mean `kernel`?");
    await shot("2-broken");
  });

  it("shows the shape table of the fixed program, as `cnnc check` computes it", async () => {
    await typeProgram(lenet, "# fixed");
    await page.waitForFunction(() => document.querySelectorAll("#diagnostics li").length === 0 && document.querySelector("#shapes table") !== null);
    const rows = await page.$$eval("#shapes tbody tr", (trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (c) => c.textContent)));
    const byName = new Map(rows.map((r) => [r[0], r]));
    // the shapes LANGUAGE.md's rules give LeNet
    expect(byName.get("features.conv2d1")?.[2]).toBe("[28, 28, 6]");
    expect(byName.get("features.maxpool1")?.[2]).toBe("[14, 14, 6]");
    expect(byName.get("features.conv2d2")?.[2]).toBe("[10, 10, 16]");
    expect(byName.get("features.maxpool2")?.[2]).toBe("[5, 5, 16]");
    expect(byName.get("logits.flatten1")?.[2]).toBe("[400]");
    expect(byName.get("logits.dense3")?.[2]).toBe("[10]");
    // and every row as the compiler's summary in Node has it
    const summary = summarize(analyze(lenet).checked!, analyze(lenet).file)[0]!;
    expect(rows.slice(1)).toEqual(
      summary.layers.map((l) => [l.name, l.op, `[${l.shape.join(", ")}]`, l.params.toLocaleString("en-US"), l.flops.toLocaleString("en-US"), String(l.line)]),
    );
    expect(await page.textContent("#shapes tfoot")).toContain("61,706");
    expect(await page.isDisabled("#train")).toBe(false);
    console.log(`playground: analysis after the last keystroke shown in ${await page.evaluate(() => document.body.dataset.analysisMs)} ms`);
    await shot("3-fixed");
  });

  it("compiles LeNet in the browser and trains it for one short epoch to above 80% test accuracy", async () => {
    await page.fill("#train-count", "2000");
    await page.fill("#test-count", "1000");
    await page.fill("#epochs", "1");
    await page.fill("#batch", "8");
    await page.click("#train");
    await page.waitForFunction(() => document.body.dataset.testAccuracy !== undefined || document.querySelector("#status")?.getAttribute("data-kind") === "error", null, { timeout: 120_000 });
    expect(await page.getAttribute("#status", "data-kind"), (await page.textContent("#status")) ?? "").toBe("info");
    const accuracy = await page.evaluate(() => Number(document.body.dataset.testAccuracy));
    expect(accuracy).toBeGreaterThan(0.8);
    const confusion = await page.$$eval("#confusion tbody tr", (trs) => trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells).slice(1, 11).map((c) => Number(c.textContent))));
    expect(confusion).toHaveLength(10);
    const total = confusion.flat().reduce((a, b) => a + b, 0);
    const correct = confusion.reduce((sum, row, digit) => sum + row[digit]!, 0);
    expect(total).toBe(1000);
    expect(correct / total).toBeCloseTo(accuracy, 6);
    expect(await page.textContent("#speed")).toMatch(/epoch 1, batch 250\/250: .* samples\/s/);
    expect(await page.locator("#loss-chart canvas").count()).toBe(1);
    console.log(`playground: ${await page.textContent("#status")} ${await page.textContent("#code-info")}`);
    await shot("4-trained");
  }, 180_000);

  it("classifies a digit drawn with the mouse, and gives the same probabilities as the downloads in Node", async () => {
    // a "7": a bar across the top, then down and to the left
    await page.locator("#pad").scrollIntoViewIfNeeded();
    const box = (await page.locator("#pad").boundingBox())!;
    const at = (x: number, y: number): [number, number] => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
    await page.mouse.move(...at(70, 60));
    await page.mouse.down();
    for (const [x, y] of [[140, 58], [210, 60], [190, 110], [165, 160], [140, 215], [128, 240]] as const) await page.mouse.move(...at(x, y), { steps: 8 });
    await page.mouse.up();
    // the prediction comes back from the worker after the strokes: wait for the one of the final
    // drawing, and take the probabilities with the pixels they are of (one read of one element)
    await page.waitForFunction(
      () =>
        document.querySelectorAll("#probabilities .bar-row").length === 10 &&
        document.querySelector("#prediction")?.getAttribute("data-digit") !== null &&
        document.querySelector<HTMLElement>("#probabilities")?.dataset.pixels === document.querySelector<HTMLElement>("#preview")?.dataset.pixels,
    );
    const shown = await page.$eval("#probabilities", (e) => ({
      probabilities: Array.from(e.querySelectorAll(".bar-row"), (r) => Number(r.getAttribute("data-probability"))),
      pixels: JSON.parse((e as HTMLElement).dataset.pixels!) as number[],
    }));
    const { probabilities, pixels } = shown;
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const digit = Number(await page.getAttribute("#prediction", "data-digit"));
    expect(digit).toBe(probabilities.indexOf(Math.max(...probabilities)));
    expect(pixels).toHaveLength(784);
    await shot("5-drawn");

    const save = async (button: string): Promise<string> => {
      const [file] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
      const path = join(work, file.suggestedFilename());
      await file.saveAs(path);
      return path;
    };
    const weights = readFileSync(await save("#download-weights"));
    const typescript = readFileSync(await save("#download-ts"), "utf8");
    const javascriptPath = await save("#download-js");
    // the browser's compiler (prettier standalone, the sha256 shim) writes what Node's writes
    expect(typescript).toBe((await compile(lenet + "# fixed", { path: "playground.cnn" })).code);
    // the module whose types the browser stripped runs in Node, and takes the trained weights
    const modulePath = javascriptPath.replace(/\.js$/, ".mjs");
    writeFileSync(modulePath, readFileSync(javascriptPath));
    const { LeNet } = (await import(pathToFileURL(modulePath).href)) as { LeNet: new (o?: { seed?: number }) => any };
    const model = new LeNet({ seed: 99 });
    model.loadWeights(new Uint8Array(weights));
    const again = Array.from(model.predict(Float32Array.from(pixels)) as Float32Array);
    again.forEach((p, i) => expect(p).toBeCloseTo(probabilities[i]!, 6));
    // the trained weights classify the held-out digits (the site's own copy) as the page said
    const { test } = decodeMnist(gunzipSync(readFileSync(join(work, "site", "mnist.bin.gz"))));
    const n = 1000;
    const accuracy = model.evaluate(test.images.subarray(0, n * 784), test.labels.subarray(0, n), n).accuracy as number;
    expect(accuracy).toBeCloseTo(await page.evaluate(() => Number(document.body.dataset.testAccuracy)), 2);
    console.log(`playground: the drawn 7 is classified as ${digit} (${(probabilities[digit]! * 100).toFixed(1)}%)`);
  }, 120_000);

  it("shows the readable build on request, as the CLI's --readable writes it, and downloads it", async () => {
    await page.selectOption("#code-build", "readable");
    await page.waitForFunction(() => document.body.dataset.codeBuild === "readable", null, { timeout: 60_000 });
    // the pane renders only the lines in view: its top is the header
    expect(await page.locator("#code").innerText()).toContain("(--readable)");
    const [file] = await Promise.all([page.waitForEvent("download"), page.click("#download-ts")]);
    expect(file.suggestedFilename()).toBe("lenet.readable.ts");
    const path = join(work, file.suggestedFilename());
    await file.saveAs(path);
    const readable = readFileSync(path, "utf8");
    expect(readable).toContain("flat[i] = featuresMaxpool2Out[");
    expect(readable).toBe((await compile(lenet + "# fixed", { path: "playground.cnn", readable: true })).code);
    await shot("6-readable");
    await page.selectOption("#code-build", "tuned");
    await page.waitForFunction(() => document.body.dataset.codeBuild === "tuned");
  }, 120_000);

  it("stops a long training run with the stop button, keeping the weights", async () => {
    await page.fill("#train-count", "8000");
    await page.fill("#epochs", "20");
    await page.click("#train");
    await page.waitForFunction(() => /batch \d+\/1000/.test(document.querySelector("#speed")?.textContent ?? ""));
    await page.click("#stop");
    await page.waitForFunction(() => (document.querySelector("#status")?.textContent ?? "").startsWith("Stopped"), null, { timeout: 60_000 });
    expect(await page.locator("#confusion tbody tr").count()).toBe(10);
    expect(await page.isDisabled("#download-weights")).toBe(false);
    await shot("7-stopped");
  }, 120_000);

  it("logged no console error and threw no uncaught exception", () => {
    expect(errors).toEqual([]);
  });
});
