// The per-layer table of `cnnc check` (name, op, shape, params, FLOPs, line), and the list
// of diagnostics beside it.
import type { JsonDiagnostic, ModelSummary } from "../shared/protocol.js";
import { diagnosticNode } from "./editor.js";

export function renderShapes(parent: HTMLElement, models: readonly ModelSummary[]): void {
  parent.replaceChildren(...models.map(modelTable));
}

function modelTable(model: ModelSummary): HTMLTableElement {
  const table = document.createElement("table");
  table.dataset.model = model.name;
  table.createCaption().textContent = `${model.name}: ${shapeText(model.input.shape)} -> ${shapeText(model.output.shape)}`;
  row(table.createTHead(), "th", ["layer", "op", "shape", "params", "FLOPs", "line"]);
  const body = table.createTBody();
  row(body, "td", [model.input.name, "input", shapeText(model.input.shape), "0", "0", ""]);
  for (const layer of model.layers) {
    row(body, "td", [layer.name, layer.op, shapeText(layer.shape), count(layer.params), count(layer.flops), String(layer.line)]);
  }
  row(table.createTFoot(), "th", ["total", "", "", count(model.params), count(model.flops), ""]);
  return table;
}

function row(section: HTMLTableSectionElement, cell: "th" | "td", values: readonly string[]): void {
  const tr = section.insertRow();
  for (const value of values) {
    const c = document.createElement(cell);
    c.textContent = value;
    tr.append(c);
  }
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}

export function renderDiagnostics(parent: HTMLElement, diagnostics: readonly JsonDiagnostic[]): void {
  parent.replaceChildren(
    ...diagnostics.map((d) => {
      const item = document.createElement("li");
      item.className = d.severity;
      item.dataset.code = d.code;
      const where = document.createElement("div");
      where.textContent = `playground.cnn:${d.line}:${d.column}`;
      item.append(where, diagnosticNode(d));
      return item;
    }),
  );
}
