// The training curves of a run as one SVG (loss and accuracy per epoch, training and test),
// written beside the weights: a curve is read at a glance, a column of numbers is not.
// Plain SVG text, no dependency; every string in it is ours or a formatted number.
import type { EpochLog } from "./model.js";

const panelWidth = 340;
const panelHeight = 220;
const margin = { left: 52, right: 14, top: 56, bottom: 42 };
const width = 2 * (margin.left + panelWidth + margin.right);
const height = margin.top + panelHeight + margin.bottom + 26;
const colours = { train: "#3b6fd8", test: "#e0701f" };

interface Series {
  readonly name: "train" | "test";
  readonly values: readonly number[];
}

interface Panel {
  readonly title: string;
  readonly series: readonly Series[];
  readonly low: number;
  readonly high: number;
  readonly format: (v: number) => string;
}

/** `title` is shown above the charts; the history must hold at least one epoch. */
export function trainingCurvesSvg(history: readonly EpochLog[], title: string): string {
  if (history.length === 0) throw new RangeError("trainingCurvesSvg: the history has no epoch");
  const test = (pick: (log: EpochLog) => number | undefined): number[] => history.map((log) => pick(log) ?? NaN).filter(Number.isFinite);
  const losses = [...history.map((l) => l.loss), ...test((l) => l.valLoss)];
  const accuracies = [...history.map((l) => l.accuracy), ...test((l) => l.valAccuracy)].map((a) => a * 100);
  const loss: Panel = {
    title: "loss",
    series: [{ name: "train", values: history.map((l) => l.loss) }, { name: "test", values: test((l) => l.valLoss) }],
    low: 0,
    high: niceCeiling(Math.max(...losses)),
    format: (v) => v.toFixed(2),
  };
  const accuracy: Panel = {
    title: "accuracy (%)",
    series: [{ name: "train", values: history.map((l) => l.accuracy * 100) }, { name: "test", values: test((l) => l.valAccuracy).map((a) => a * 100) }],
    low: accuracyFloor(Math.min(...accuracies)),
    high: 100,
    format: (v) => v.toFixed(0),
  };
  const epochs = history.length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeText(title)}</text>`,
    panelSvg(loss, 0, epochs),
    panelSvg(accuracy, margin.left + panelWidth + margin.right, epochs),
    legend(),
    `</svg>`,
    "",
  ].join("\n");
}

function panelSvg(panel: Panel, left: number, epochs: number): string {
  const x0 = left + margin.left;
  const y0 = margin.top;
  const x = (epoch: number): number => x0 + (epochs === 1 ? panelWidth / 2 : ((epoch - 1) / (epochs - 1)) * panelWidth);
  const y = (v: number): number => y0 + panelHeight - ((v - panel.low) / (panel.high - panel.low)) * panelHeight;
  const parts = [`<g>`, `<text x="${x0 + panelWidth / 2}" y="${y0 - 8}" text-anchor="middle">${escapeText(panel.title)}</text>`];
  parts.push(`<rect x="${x0}" y="${y0}" width="${panelWidth}" height="${panelHeight}" fill="none" stroke="#c8ccd4"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = panel.low + ((panel.high - panel.low) * i) / 4;
    parts.push(`<line x1="${x0}" x2="${x0 + panelWidth}" y1="${fixed(y(v))}" y2="${fixed(y(v))}" stroke="#eceef2"/>`);
    parts.push(`<text x="${x0 - 6}" y="${fixed(y(v) + 4)}" text-anchor="end">${panel.format(v)}</text>`);
  }
  for (let epoch = 1; epoch <= epochs; epoch++) {
    parts.push(`<text x="${fixed(x(epoch))}" y="${y0 + panelHeight + 16}" text-anchor="middle">${epoch}</text>`);
  }
  parts.push(`<text x="${x0 + panelWidth / 2}" y="${y0 + panelHeight + 34}" text-anchor="middle">epoch</text>`);
  for (const series of panel.series) {
    if (series.values.length === 0) continue;
    const points = series.values.map((v, i) => `${fixed(x(i + 1))},${fixed(y(v))}`);
    const colour = colours[series.name];
    parts.push(`<polyline class="${series.name}" fill="none" stroke="${colour}" stroke-width="2" points="${points.join(" ")}"/>`);
    for (const point of points) {
      const [cx, cy] = point.split(",");
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${colour}"/>`);
    }
  }
  parts.push(`</g>`);
  return parts.join("\n");
}

function legend(): string {
  const y = height - 14;
  const items = (["train", "test"] as const).map((name, i) => {
    const x = width / 2 - 90 + i * 110;
    const label = name === "train" ? "training digits" : "held-out digits";
    return `<line x1="${x}" x2="${x + 22}" y1="${y - 4}" y2="${y - 4}" stroke="${colours[name]}" stroke-width="2"/><text x="${x + 28}" y="${y}">${label}</text>`;
  });
  return items.join("\n");
}

/** The bottom of the accuracy axis: 100% minus four round steps, just below the lowest value. */
function accuracyFloor(lowest: number): number {
  for (const step of [1, 2, 5, 10, 20]) if (100 - 4 * step <= lowest) return 100 - 4 * step;
  return 0;
}

/** The next of 0.1, 0.2, 0.5, 1, 2, 5, ... at or above v (v > 0). */
function niceCeiling(v: number): number {
  if (!(v > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(v));
  for (const step of [1, 2, 5, 10]) if (step * power >= v) return step * power;
  return 10 * power;
}

function fixed(v: number): string {
  return v.toFixed(1);
}

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
