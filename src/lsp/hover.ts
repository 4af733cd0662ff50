// Hover: a tensor name shows its shape and where it comes from; a layer call its op as written,
// its output shape, parameter count and FLOPs, then its resolved arguments and parameter shapes.
import type { Hover } from "vscode-languageserver";
import { describeSignature } from "../check/args/bind.js";
import { findOp } from "../ops/index.js";
import { findOptimizer } from "../check/train/index.js";
import { lossSignature } from "../check/train/loss.js";
import { formatShape } from "../cli/table.js";
import { calleeAt, tensorNamed, writtenCall, type CallSiteInModel } from "./calls.js";
import { countsText, resolvedArgs, signatureText } from "./describe.js";
import type { AnalyzedDocument } from "./document.js";
import { nameAt, type NameSite } from "./names.js";

export function hover(doc: AnalyzedDocument, offset: number): Hover | null {
  const site = nameAt(doc.names, offset);
  if (site !== undefined) return markdown(tensorHover(doc, site), doc.range(site.span));
  const call = calleeAt(doc.analysis.program?.models ?? [], offset);
  if (call !== undefined) return markdown(callHover(doc, call), doc.range(call.call.callee.span));
  return null;
}

function markdown(lines: readonly string[] | undefined, range: Hover["range"]): Hover | null {
  if (lines === undefined) return null;
  // separate paragraphs: markdown joins lines that follow each other
  return { contents: { kind: "markdown", value: lines.join("\n\n") }, range };
}

const code = (text: string): string => ["```cnn", text, "```"].join("\n");
const waiting = "_shapes appear once the errors before this point are fixed_";
const partial = "_the file has errors: this is as far as the checker got_";
const shape = (s: readonly number[] | null): string => (s === null ? "[?]" : formatShape(s));

function tensorHover(doc: AnalyzedDocument, site: NameSite): string[] {
  const model = doc.model(site.model.decl.name.name);
  const id = model && tensorNamed(site.model.decl, model, site.name);
  const tensor = id === undefined ? undefined : model!.tensors[id];
  if (model === undefined || tensor === undefined || tensor.shape === null) return [code(site.name), waiting];
  const producer = tensor.producer === null ? undefined : model.layers[tensor.producer];
  const origin =
    producer === undefined
      ? "the model's input"
      : `output of layer \`${producer.name}\` (\`${producer.op}\`, line ${doc.analysis.file.position(producer.span.start).line})`;
  return [code(`${site.name}: ${formatShape(tensor.shape)}`), origin, ...(model.complete ? [] : [partial])];
}

function callHover(doc: AnalyzedDocument, site: CallSiteInModel): string[] | undefined {
  const name = site.call.callee.name;
  if (site.role === "loss") return [code(signatureText(name, describeSignature(lossSignature))), "loss"];
  if (site.role === "optimizer") {
    const optimizer = findOptimizer(name);
    return optimizer && [code(signatureText(name, optimizer.args)), "optimizer"];
  }
  const op = findOp(name);
  if (op === undefined) return undefined;
  const model = doc.model(site.model.name.name);
  const layer = model?.layers.find((l) => l.span.start === site.call.span.start);
  if (model === undefined || layer === undefined) return [code(signatureText(name, op.args)), waiting];
  const inputs = layer.inputs.map((id) => shape(model.tensors[id]!.shape)).join(", ");
  const output = shape(model.tensors[layer.output]!.shape);
  const params = layer.params.map((param) => `\`${param.name}\` ${formatShape(param.shape)}`);
  return [
    code(`${writtenCall(site.call)} -> ${output} · ${countsText(layer.paramCount, layer.flops)}`),
    `layer \`${layer.name}\`: ${inputs} -> ${output}`,
    ...(Object.keys(layer.attrs).length === 0 ? [] : [`resolved: ${resolvedArgs(layer).join(", ")}`]),
    ...(params.length > 0 ? [`parameters: ${params.join(", ")}`] : []),
    ...(model.complete ? [] : [partial]),
  ];
}
