// Which token begins a line of its own, and at what depth: statements, models and closing braces.
// Also which pipelines are too long for one line, so that each of their calls gets its own.
import { LCurly, Model, Pipe, RCurly } from "../../grammar/lexer.js";
import type { TokenItem } from "./items.js";
import { spaceBetween } from "./spacing.js";

/** Longest line a pipeline may take before every `|>` in it starts a line. */
export const maxWidth = 100;

export const indentWidth = 2;

export interface TokenPlace {
  /** braces open before this token (for a `}`, those open after it) */
  readonly depth: number;
  /** begins a statement, a model, or closes a block: always the first token on its line */
  readonly leadsLine: boolean;
  /** the depth of the statement this token belongs to, for continuation lines */
  readonly statementDepth: number;
  /** a `|>` that starts a line because its pipeline is too long for one */
  readonly longPipe: boolean;
}

export function placeTokens(tokens: readonly TokenItem[]): TokenPlace[] {
  const places: { depth: number; leadsLine: boolean; statementDepth: number; longPipe: boolean }[] = [];
  let depth = 0;
  let statementDepth = 0;
  for (const token of tokens) {
    if (token.type === RCurly) depth = Math.max(0, depth - 1);
    const leadsLine = token.startsStatement || token.type === RCurly || (token.type === Model && depth === 0);
    if (leadsLine) statementDepth = depth;
    places.push({ depth, leadsLine, statementDepth, longPipe: false });
    if (token.type === LCurly) depth++;
  }
  markLongPipelines(tokens, places);
  return places;
}

// A statement runs from a token that leads a line to the next one; only pipelines contain `|>`.
// The lines a pipeline was written on are kept (`|> conv2d(...) |> relu` stays a pair) unless
// one of them is too long, and then each call gets a line.
function markLongPipelines(tokens: readonly TokenItem[], places: { longPipe: boolean; leadsLine: boolean; depth: number }[]): void {
  let start = 0;
  for (let i = 1; i <= tokens.length; i++) {
    if (i < tokens.length && !places[i]!.leadsLine) continue;
    if (widestLine(tokens, start, i, places[start]!.depth) > maxWidth) {
      for (let j = start; j < i; j++) if (tokens[j]!.type === Pipe) places[j]!.longPipe = true;
    }
    start = i;
  }
}

/** The widest line of tokens [from, to) laid out with a break before each `|>` written first on its line. */
function widestLine(tokens: readonly TokenItem[], from: number, to: number, depth: number): number {
  let widest = 0;
  let width = depth * indentWidth;
  for (let i = from; i < to; i++) {
    const token = tokens[i]!;
    if (i > from && token.type === Pipe && token.breaksBefore > 0) {
      widest = Math.max(widest, width);
      width = (depth + 1) * indentWidth;
    } else if (i > from && spaceBetween(tokens[i - 1]!.type, token.type)) {
      width++;
    }
    width += token.text.length;
  }
  return Math.max(widest, width);
}
