// One source line and a caret underline beneath a span, as display columns: tabs expanded,
// control characters made visible, very long lines cut to a window around the span.
import type { SourceFile, Span } from "../source/span.js";

const tabWidth = 4;
const maxLineLength = 160;
const contextBefore = 40;
const ellipsis = "…";

export interface Snippet {
  readonly line: number;
  /** the source line as displayed */
  readonly text: string;
  /** where the underline starts (0-based display column) and how many carets it has */
  readonly caretColumn: number;
  readonly caretCount: number;
}

/** The first line of `span`; a span that crosses lines is underlined to the end of its first line. */
export function snippetFor(file: SourceFile, span: Span): Snippet {
  const start = file.position(span.start);
  const end = file.position(span.end);
  const line = file.lineText(start.line);
  const from = Math.min(start.column - 1, line.length);
  const to = end.line === start.line ? Math.min(end.column - 1, line.length) : line.length;
  const window = windowAround(line, from);
  const laid = layout(window.text, window.lead.length);
  const caretStart = laid.columns[from - window.offset]!;
  const caretEnd = laid.columns[Math.min(to - window.offset, window.text.length)]!;
  const cut = window.offset + window.text.length < line.length ? ellipsis : "";
  return { line: start.line, text: window.lead + laid.text + cut, caretColumn: caretStart, caretCount: Math.max(1, caretEnd - caretStart) };
}

interface LineWindow {
  readonly text: string;
  /** offset of `text` within the line */
  readonly offset: number;
  /** an ellipsis when the line was cut on the left */
  readonly lead: string;
}

function windowAround(line: string, column: number): LineWindow {
  if (line.length <= maxLineLength) return { text: line, offset: 0, lead: "" };
  const offset = Math.max(0, Math.min(column - contextBefore, line.length - maxLineLength));
  return { text: line.slice(offset, offset + maxLineLength), offset, lead: offset > 0 ? ellipsis : "" };
}

interface Layout {
  readonly text: string;
  /** display column of each UTF-16 offset in the input, and of its end */
  readonly columns: number[];
}

/** Tabs to spaces up to the next tab stop; control characters and lone surrogates made visible. */
export function layout(text: string, startColumn = 0): Layout {
  let out = "";
  const columns: number[] = [];
  for (let i = 0; i < text.length; i++) {
    columns.push(startColumn + out.length);
    const unit = text[i]!;
    if (unit === "\t") out += " ".repeat(tabWidth - ((startColumn + out.length) % tabWidth));
    else out += visible(text, i);
  }
  columns.push(startColumn + out.length);
  return { text: out, columns };
}

// C0 controls print as the Unicode control pictures (␀, ␛, ...), DEL as ␡, C1 controls and lone
// surrogates as �. A surrogate pair keeps both units, taking two columns as in most terminals.
function visible(text: string, i: number): string {
  const code = text.charCodeAt(i);
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return "\u2421";
  if (code >= 0x80 && code < 0xa0) return "\ufffd";
  if (code >= 0xd800 && code <= 0xdbff) return isLow(text.charCodeAt(i + 1)) ? text[i]! : "\ufffd";
  if (code >= 0xdc00 && code <= 0xdfff) return isHigh(text.charCodeAt(i - 1)) ? text[i]! : "\ufffd";
  return text[i]!;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
