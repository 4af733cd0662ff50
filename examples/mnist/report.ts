// What the user reads at the end of a run: test accuracy, the confusion matrix, speed, time.
import { classCount, imageSize, type Digits } from "./data.js";
import type { Classifier, EpochLog } from "./model.js";

/** Counts of (true digit, predicted digit) over a set, predicting in chunks to bound memory. */
export function confusionMatrix(model: Classifier, digits: Digits, chunk = 500): number[][] {
  const matrix = Array.from({ length: classCount }, () => new Array<number>(classCount).fill(0));
  for (let start = 0; start < digits.n; start += chunk) {
    const n = Math.min(chunk, digits.n - start);
    const outputs = model.predictBatch(digits.images.subarray(start * imageSize, (start + n) * imageSize), n);
    for (let i = 0; i < n; i++) {
      const row = matrix[digits.labels[start + i]!]!;
      const predicted = argmax(outputs, i * classCount, classCount);
      row[predicted] = row[predicted]! + 1;
    }
  }
  return matrix;
}

export function argmax(values: ArrayLike<number>, offset: number, length: number): number {
  let best = 0;
  for (let k = 1; k < length; k++) if (values[offset + k]! > values[offset + best]!) best = k;
  return best;
}

/** Rows are true digits, columns predictions; the diagonal holds the correct ones. */
export function formatConfusion(matrix: readonly (readonly number[])[]): string {
  const width = Math.max(4, ...matrix.flat().map((v) => String(v).length + 1));
  const cell = (text: string | number): string => String(text).padStart(width);
  const header = `${"true\\pred".padEnd(10)}${matrix.map((_, k) => cell(k)).join("")}${cell("acc").padStart(8)}`;
  const rows = matrix.map((row, digit) => {
    const total = row.reduce((a, b) => a + b, 0);
    const recall = total === 0 ? "-" : percent((row[digit] ?? 0) / total);
    return `${String(digit).padEnd(10)}${row.map((v) => cell(v)).join("")}${recall.padStart(8)}`;
  });
  return [header, ...rows].join("\n");
}

export function formatEpoch(log: EpochLog, epochs: number): string {
  const test = log.valLoss === undefined ? "" : `  test loss ${log.valLoss.toFixed(4)}  test acc ${percent(log.valAccuracy ?? NaN)}`;
  return (
    `epoch ${log.epoch}/${epochs}  loss ${log.loss.toFixed(4)}  acc ${percent(log.accuracy)}${test}` +
    `  ${Math.round(log.samplesPerSecond).toLocaleString("en-US")} samples/s  ${log.seconds.toFixed(1)} s`
  );
}

export interface ReportInput {
  readonly testAccuracy: number;
  readonly testLoss: number;
  readonly testCount: number;
  readonly confusion: readonly (readonly number[])[];
  readonly samplesPerSecond: number;
  readonly wallSeconds: number;
  readonly weightsPath: string;
  readonly curvesPath: string;
}

export function formatReport(input: ReportInput): string {
  const correct = input.confusion.reduce((sum, row, digit) => sum + (row[digit] ?? 0), 0);
  return [
    "",
    `test accuracy   ${percent(input.testAccuracy)}  (${correct} / ${input.testCount} held-out digits, loss ${input.testLoss.toFixed(4)})`,
    `training speed  ${Math.round(input.samplesPerSecond).toLocaleString("en-US")} samples/s`,
    `wall time       ${input.wallSeconds.toFixed(1)} s`,
    `weights         ${input.weightsPath}`,
    `curves          ${input.curvesPath}`,
    "",
    "confusion matrix (rows: true digit, columns: predicted digit)",
    formatConfusion(input.confusion),
  ].join("\n");
}

export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}
