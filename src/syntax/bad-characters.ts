// Characters no token starts with, found before the lexer runs. Chevrotain reports each run of
// them as an error object with a message, which for 8 MB of `@ ` means four million of them
// (12 s and gigabytes). Here one linear scan finds the runs, a run being bad characters
// separated by nothing but white space, and the lexer then sees spaces in their place: the same
// tokens at the same offsets, one diagnostic per run, and at most a bounded number of those.

/** A run of bad characters: [start, end) in UTF-16 units; `several` when it holds more than one. */
export interface BadRun {
  readonly start: number;
  readonly end: number;
  readonly several: boolean;
}

export interface Scanned {
  /** the text with every run replaced by spaces, same length (the lexer tracks offsets only;
   *  line breaks are read from the original text) */
  readonly masked: string;
  /** the first `maxRuns` runs */
  readonly runs: readonly BadRun[];
  /** how many tokens the lexer will make (white space and comments are no tokens) */
  readonly tokens: number;
}

// Character classes of the lexer's tokens (grammar/lexer.ts), for the ASCII range; one table
// lookup per character keeps the scan at a few nanoseconds a character.
const OTHER = 0;
const SPACE = 1;
const LETTER = 2;
const DIGIT = 3;
const PUNCTUATION = 4;
const classes = new Uint8Array(128);
for (const c of " \t\r\n\f\v") classes[c.charCodeAt(0)] = SPACE;
for (let c = 65; c <= 90; c++) classes[c] = LETTER;
for (let c = 97; c <= 122; c++) classes[c] = LETTER;
classes[95] = LETTER;
for (let c = 48; c <= 57; c++) classes[c] = DIGIT;
for (const c of "{}()[]:,=-") classes[c.charCodeAt(0)] = PUNCTUATION;

function classOf(c: number): number {
  if (c < 128) return classes[c]!;
  return c === 0xfeff ? SPACE : OTHER;
}

export function scanBadCharacters(text: string, maxRuns: number): Scanned {
  const runs: BadRun[] = [];
  const parts: string[] = [];
  let copied = 0;
  let tokens = 0;
  let i = 0;
  while (i < text.length) {
    const next = skipToken(text, i);
    if (next > i) {
      if (!isWhiteSpace(text.charCodeAt(i)) && !isCommentStart(text, i)) tokens++;
      i = next;
      continue;
    }
    const start = i;
    let end = afterBad(text, i);
    let several = end - start > 1 && !isSurrogatePair(text, start);
    // extend over white space to the next bad character, if one follows
    for (;;) {
      let j = end;
      while (j < text.length && isWhiteSpace(text.charCodeAt(j))) j++;
      if (j >= text.length || skipToken(text, j) > j) break;
      end = afterBad(text, j);
      several = true;
    }
    if (runs.length < maxRuns) runs.push({ start, end, several });
    parts.push(text.slice(copied, start), " ".repeat(end - start));
    copied = end;
    i = end;
  }
  if (copied === 0) return { masked: text, runs, tokens };
  parts.push(text.slice(copied));
  return { masked: parts.join(""), runs, tokens };
}

/** The offset after the white space, comment or token at i; i itself when a bad character is there. */
function skipToken(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const kind = classOf(c);
  if (kind === SPACE || kind === PUNCTUATION) return i + 1;
  if (kind === LETTER) return afterName(text, i + 1);
  if (kind === DIGIT || (c === 46 /* . */ && isDigit(text.charCodeAt(i + 1)))) return afterNumber(text, i);
  const d = text.charCodeAt(i + 1);
  if (c === 35 /* # */ || (c === 47 /* / */ && d === 47)) return lineEnd(text, i);
  if (c === 124 /* | */ && d === 62 /* > */) return i + 2;
  return i;
}

function afterName(text: string, i: number): number {
  let j = i;
  for (let kind = classOf(text.charCodeAt(j)); kind === LETTER || kind === DIGIT; kind = classOf(text.charCodeAt(j))) j++;
  return j;
}

// `28`, `0.01`, `.5`, `2.`, `1e-3`: digits, an optional fraction, an exponent only when digits follow it.
function afterNumber(text: string, i: number): number {
  let j = afterDigits(text, i);
  if (text.charCodeAt(j) === 46) j = afterDigits(text, j + 1);
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    const sign = text.charCodeAt(j + 1);
    const digitsAt = sign === 43 || sign === 45 ? j + 2 : j + 1;
    if (isDigit(text.charCodeAt(digitsAt))) j = afterDigits(text, digitsAt);
  }
  return j;
}

function afterDigits(text: string, i: number): number {
  let j = i;
  while (isDigit(text.charCodeAt(j))) j++;
  return j;
}

function isCommentStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return c === 35 || (c === 47 && text.charCodeAt(i + 1) === 47);
}

function lineEnd(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
  return j;
}

// A surrogate pair is one character: both halves go in the same run.
function afterBad(text: string, i: number): number {
  return isSurrogatePair(text, i) ? i + 2 : i + 1;
}

function isSurrogatePair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  const d = text.charCodeAt(i + 1);
  return c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff;
}

// The lexer's WhiteSpace token: space, tab, CR, LF, form feed, vertical tab, byte-order mark.
function isWhiteSpace(c: number): boolean {
  return classOf(c) === SPACE;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
