// `npx tsx examples/predict.ts [count]`: load the weights `npm start` saved, classify a few
// held-out digits and draw each one in the terminal with its predicted and true label.
import { existsSync, readFileSync } from "node:fs";
import { imageSize, loadAllDigits, splitDigits, splitSeed, trainCount, type Digits } from "./mnist/data.js";
import { importLeNet, repoPath, weightsPath } from "./mnist/files.js";
import type { Classifier } from "./mnist/model.js";
import { argmax } from "./mnist/report.js";

// Darker to brighter; pixel values are in [0, 1].
const shades = " .:-=+*#%@";

function asciiDigit(pixels: ArrayLike<number>): string {
  const lines: string[] = [];
  for (let row = 0; row < 28; row++) {
    let line = "";
    for (let col = 0; col < 28; col++) {
      const value = Math.min(1, Math.max(0, pixels[row * 28 + col] ?? 0));
      // Two characters per pixel, since terminal cells are about twice as tall as wide.
      line += shades[Math.min(shades.length - 1, Math.floor(value * shades.length))]!.repeat(2);
    }
    lines.push(line.trimEnd());
  }
  return lines.join("\n");
}

function describe(model: Classifier, test: Digits, index: number): string {
  const image = test.images.subarray(index * imageSize, (index + 1) * imageSize);
  const output = model.predictBatch(image, 1);
  const predicted = argmax(output, 0, output.length);
  const truth = test.labels[index]!;
  const verdict = predicted === truth ? "correct" : "WRONG";
  const confidence = ((output[predicted] ?? 0) * 100).toFixed(1);
  return `${asciiDigit(image)}\ntest digit #${index}: predicted ${predicted} (${confidence}%), true ${truth}, ${verdict}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  const count = argv[0] === undefined ? 5 : Number(argv[0]);
  if (!Number.isInteger(count) || count < 1) {
    console.error(`usage: npx tsx examples/predict.ts [count]   (count: a positive integer, got "${argv[0]}")`);
    return 2;
  }
  if (!existsSync(repoPath(weightsPath))) {
    console.error(`${weightsPath} not found: run \`npm start\` first to train LeNet and save its weights`);
    return 1;
  }
  const LeNet = await importLeNet();
  const model = new LeNet();
  model.loadWeights(new Uint8Array(readFileSync(repoPath(weightsPath))));
  const { test } = splitDigits(loadAllDigits(), trainCount, splitSeed);
  for (let index = 0; index < Math.min(count, test.n); index++) console.log(describe(model, test, index));
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
