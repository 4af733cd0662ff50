// Tokens and comments to the canonical layout. Only white space changes: the tokens come out in
// the same order with the same text, so the program means exactly what it meant.
//
// - one statement per line, indented two spaces per open brace; a closing brace on its own line
// - one space around `=`, `|>` and `as`, after `,` and `:`, none inside brackets
// - a `|>` written at the start of a line stays there (indented two more than its statement);
//   a pipeline longer than maxWidth on one line gets every `|>` on a line of its own
// - blank lines between statements and comments are kept, collapsed to one, and dropped after
//   `{`, before `}` and at the ends of the file
// - comments are kept: one on its own line stays on its own line, a trailing one stays at the end
//   of its line, and trailing comments that shared a column still share one (see align.ts)
import { LCurly, Pipe, RCurly } from "../../grammar/lexer.js";
import { alignTrailingComments, type Line } from "./align.js";
import type { Item, TokenItem } from "./items.js";
import { spaceBetween } from "./spacing.js";
import { indentWidth, placeTokens, type TokenPlace } from "./statements.js";

export function layout(items: readonly Item[]): string {
  const tokens = items.filter((item): item is TokenItem => item.kind === "token");
  const places = new Map(placeTokens(tokens).map((place, i) => [tokens[i]!, place]));
  const lines: Line[] = [];
  let current: Line | undefined;
  let previous: TokenItem | undefined;
  // a blank line right after `{` goes, one after a comment that follows `{` stays
  let afterOpenBrace = false;

  const startLine = (indent: number, item: Item, keepsBlank: boolean): Line => {
    const blank = keepsBlank && item.breaksBefore >= 2 && lines.length > 0 && !afterOpenBrace;
    if (blank) lines.push({ code: "" });
    const line: Line = { code: " ".repeat(indent) };
    lines.push(line);
    return line;
  };

  items.forEach((item, index) => {
    if (item.kind === "comment") {
      if (current !== undefined && item.breaksBefore === 0) current.comment = item;
      else startLine(commentIndent(items, index, places, previous), item, true).code += item.text;
      // whatever follows a comment starts a new line
      current = undefined;
      afterOpenBrace = false;
      return;
    }
    const place = places.get(item)!;
    const breaks = place.leadsLine || (item.type === Pipe && (item.breaksBefore > 0 || place.longPipe));
    if (current === undefined || breaks) {
      current = startLine(tokenIndent(item, place), item, place.leadsLine && item.type !== RCurly);
    } else if (previous !== undefined && spaceBetween(previous.type, item.type)) {
      current.code += " ";
    }
    current.code += item.text;
    previous = item;
    afterOpenBrace = item.type === LCurly;
  });
  alignTrailingComments(lines);
  return `${lines.map(render).join("\n")}\n`;
}

function render(line: Line): string {
  if (line.comment === undefined) return line.code.trimEnd();
  return `${line.code.padEnd(line.commentColumn ?? line.code.length + 1)}${line.comment.text}`;
}

// A token that leads its line sits at its block's depth; anything else that starts a line
// continues the statement above it.
function tokenIndent(token: TokenItem, place: TokenPlace): number {
  return (place.leadsLine ? place.depth : place.statementDepth + 1) * indentWidth;
}

// A comment on its own line takes the indentation of the code it precedes; before a closing
// brace, that of the block's statements.
function commentIndent(items: readonly Item[], index: number, places: Map<TokenItem, TokenPlace>, previous: TokenItem | undefined): number {
  const next = items.slice(index + 1).find((item): item is TokenItem => item.kind === "token");
  if (next === undefined) return 0;
  const place = places.get(next)!;
  if (next.type === RCurly) return (place.depth + 1) * indentWidth;
  if (place.leadsLine) return place.depth * indentWidth;
  // inside a statement: at the statement's continuation, as a line starting with `|>` would be
  return previous === undefined ? 0 : (place.statementDepth + 1) * indentWidth;
}

