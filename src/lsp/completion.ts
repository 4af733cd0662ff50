// Completion from the tokens before the cursor: op names after `|>`, tensor names where a tensor
// goes, an op's argument names inside its parentheses, the values a choice argument takes after
// `name:`, losses and optimizers in a train section, and statement keywords at the start of a line.
import type { IToken, TokenType } from "chevrotain";
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver";
import {
  cnnLexer,
  Colon,
  Comma,
  Equals,
  Identifier,
  LCurly,
  Loss,
  LParen,
  Optimizer,
  Output,
  Pipe,
  RCurly,
  RParen,
  Train,
} from "../../grammar/lexer.js";
import { startsLine } from "../../grammar/statementBreaks.js";
import { describeSignature, type ArgInfo } from "../check/args/bind.js";
import { ops } from "../ops/index.js";
import { findLoss, findOptimizer, lossNames, optimizers } from "../check/train/index.js";
import { lossSignature } from "../check/train/loss.js";
import { findOp } from "../ops/index.js";
import { formatShape } from "../cli/table.js";
import { tensorNamed } from "./calls.js";
import { argText, signatureText } from "./describe.js";
import type { AnalyzedDocument } from "./document.js";
import { modelAt } from "./names.js";

export function completions(doc: AnalyzedDocument, offset: number): CompletionItem[] {
  const lexed = cnnLexer.tokenize(doc.text);
  const comments = (lexed.groups["comments"] ?? []) as IToken[];
  if (comments.some((c) => c.startOffset < offset && offset <= c.startOffset + c.image.length)) return [];
  const before = lexed.tokens.filter((t) => t.startOffset < offset);
  const after = lexed.tokens.filter((t) => t.startOffset >= offset);
  const last = before[before.length - 1];
  // the word being typed is replaced by the completion, so it is not context
  const typing = last !== undefined && last.startOffset + last.image.length >= offset && /^[A-Za-z_]/.test(last.image);
  if (typing) before.pop();
  const wordStart = typing ? last.startOffset : offset;
  const previous = before[before.length - 1];
  const call = enclosingCall(before);
  if (call !== undefined) return callCompletions(doc, offset, before, after, call);
  switch (previous?.tokenType) {
    case Pipe:
      return opItems(Object.keys(ops));
    case Equals:
      return [...tensorItems(doc, offset), ...opItems(Object.keys(ops).filter((name) => findOp(name)?.inputs === "tensors"))];
    case Output:
      return tensorItems(doc, offset);
    case Loss:
      return lossNames.map((name) => ({ label: name, kind: CompletionItemKind.Function, detail: signatureText(name, lossArgs) }));
    case Optimizer:
      return Object.values(optimizers).map((o) => ({ label: o.name, kind: CompletionItemKind.Function, detail: signatureText(o.name, o.args) }));
  }
  if (!startsLine(wordStart, doc.text) || modelAt(doc.names, offset) === undefined) return [];
  const words = inTrainBlock(before) ? ["loss", "optimizer"] : ["input", "output", "train"];
  return words.map((word) => ({ label: word, kind: CompletionItemKind.Keyword }));
}

const lossArgs = describeSignature(lossSignature);

interface OpenCall {
  readonly callee: string;
  /** index in `before` of the `(` */
  readonly paren: number;
}

/** The call whose `(` is open at the cursor, if any. */
function enclosingCall(before: readonly IToken[]): OpenCall | undefined {
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const type = before[i]!.tokenType;
    if (type === RParen) depth++;
    else if (type === LParen && depth > 0) depth--;
    else if (type === LParen) {
      const callee = before[i - 1];
      return callee?.tokenType === Identifier ? { callee: callee.image, paren: i } : undefined;
    } else if (type === LCurly || type === RCurly) return undefined;
  }
  return undefined;
}

function argsOf(callee: string): readonly ArgInfo[] | undefined {
  return findOp(callee)?.args ?? findOptimizer(callee)?.args ?? (findLoss(callee) ? lossArgs : undefined);
}

function takesTensors(callee: string): boolean {
  return findOp(callee)?.inputs === "tensors" || findLoss(callee) !== undefined;
}

function callCompletions(
  doc: AnalyzedDocument,
  offset: number,
  before: readonly IToken[],
  after: readonly IToken[],
  call: OpenCall,
): CompletionItem[] {
  const args = argsOf(call.callee) ?? [];
  const previous = before[before.length - 1]!;
  if (previous.tokenType === Colon) {
    const name = before[before.length - 2];
    const arg = args.find((a) => a.name === name?.image);
    return (arg?.choices ?? []).map((choice) => ({ label: choice, kind: CompletionItemKind.EnumMember, detail: `${arg!.name}: ${arg!.expected}` }));
  }
  if (previous.tokenType !== LParen && previous.tokenType !== Comma) return [];
  // arguments written after the cursor count too; the call ends at its `)`, or at the first `{` or `}`
  const given = namedArgs([...before.slice(call.paren + 1), ...restOfCall(after)]);
  const named = args
    .filter((arg) => !given.has(arg.name))
    .map((arg, i) => ({
      label: `${arg.name}:`,
      kind: CompletionItemKind.Field,
      insertText: `${arg.name}: `,
      detail: `${argText(arg)} — ${arg.expected}${arg.fallback === undefined ? " (required)" : ""}`,
      // in signature order, after tensor names
      sortText: `1${String(i).padStart(3, "0")}`,
    }));
  return takesTensors(call.callee) ? [...tensorItems(doc, offset), ...named] : named;
}

function restOfCall(after: readonly IToken[]): IToken[] {
  let depth = 0;
  const rest: IToken[] = [];
  for (const token of after) {
    if (token.tokenType === LCurly || token.tokenType === RCurly) break;
    if (token.tokenType === LParen) depth++;
    if (token.tokenType === RParen && depth-- === 0) break;
    rest.push(token);
  }
  return rest;
}

/** Argument names already written in the open call (`name:` at its own depth). */
function namedArgs(tokens: readonly IToken[]): Set<string> {
  const names = new Set<string>();
  let depth = 0;
  tokens.forEach((token, i) => {
    const type: TokenType = token.tokenType;
    if (type === LParen) depth++;
    else if (type === RParen) depth--;
    else if (depth === 0 && type === Identifier && tokens[i + 1]?.tokenType === Colon) names.add(token.image);
  });
  return names;
}

function inTrainBlock(before: readonly IToken[]): boolean {
  let depth = 0;
  for (let i = before.length - 1; i >= 0; i--) {
    const type = before[i]!.tokenType;
    if (type === RCurly) depth++;
    else if (type === LCurly && depth > 0) depth--;
    else if (type === LCurly) return before[i - 1]?.tokenType === Train;
  }
  return false;
}

function opItems(names: readonly string[]): CompletionItem[] {
  return names.map((name) => ({ label: name, kind: CompletionItemKind.Function, detail: signatureText(name, findOp(name)!.args) }));
}

/** Names bound before the cursor in its model, with their shapes when the file checks. */
function tensorItems(doc: AnalyzedDocument, offset: number): CompletionItem[] {
  const model = modelAt(doc.names, offset);
  if (model === undefined) return [];
  const view = doc.model(model.decl.name.name);
  return [...model.definitions.values()]
    .filter((site) => site.span.end < offset)
    .map((site) => {
      const id = view && tensorNamed(model.decl, view, site.name);
      const shape = id === undefined ? null : view!.tensors[id]!.shape;
      const item: CompletionItem = { label: site.name, kind: CompletionItemKind.Variable, sortText: `0${site.name}` };
      return shape === null ? item : { ...item, detail: formatShape(shape) };
    });
}
