// The `cnnc check` table: one block per model, one row per layer, then totals.
import type { ModelSummary } from "./summary.js";

const headers = ["layer", "op", "output", "params", "flops", "line"] as const;
// numeric columns align right
const rightAligned = new Set([3, 4, 5]);

export function renderCheckTable(models: readonly ModelSummary[]): string {
  return models.map(renderModel).join("\n");
}

function renderModel(model: ModelSummary): string {
  const rows = model.layers.map((l) => [l.name, l.op, formatShape(l.shape), grouped(l.params), grouped(l.flops), String(l.line)]);
  const total = ["total", "", "", grouped(model.params), grouped(model.flops), ""];
  const table = [[...headers], ...rows, total];
  const widths = headers.map((_h, col) => Math.max(...table.map((row) => row[col]!.length)));
  const format = (row: readonly string[]) =>
    `  ${row.map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!))).join("  ")}`.trimEnd();
  const title = `model ${model.name}: input ${model.input.name} ${formatShape(model.input.shape)} -> output ${model.output.name} ${formatShape(model.output.shape)}`;
  return [title, "", ...table.map(format), ""].join("\n");
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

// 1234567 -> "1,234,567", independent of the locale so output is stable.
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
