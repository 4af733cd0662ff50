// Valid programs with one hostile edit: a number past a double's range, a character outside the
// language, another kind of line break, deep nesting, or a very long name or line.
import fc from "fast-check";
import { tokenize } from "./tokens.js";
import { hostileCharacters, hostileNumbers } from "./vocabulary.js";

type Edit = (text: string) => string;

const where = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

/** Replaces the number token nearest after `at` (a fraction of the tokens) with `number`. */
function replaceNumber(at: number, number: string): Edit {
  return (text) => {
    const tokens = tokenize(text);
    const start = Math.floor(at * tokens.length);
    const offset = tokens.slice(start).findIndex((t) => /^[\d.]/.test(t));
    if (offset >= 0) tokens[start + offset] = number;
    return tokens.join("");
  };
}

function insertAt(at: number, inserted: string): Edit {
  return (text) => {
    const tokens = tokenize(text);
    const i = Math.floor(at * tokens.length);
    return [...tokens.slice(0, i), inserted, ...tokens.slice(i)].join("");
  };
}

const lineBreaks = ["\r\n", "\r", "\u2028", "\u2029", "\u0085", "\n\n\n", "\n\u0000\n"];

function replaceLineBreaks(lineBreak: string): Edit {
  return (text) => text.replace(/\r?\n/g, lineBreak);
}

/** Nesting far past the parser's limit, of one bracket kind, open or balanced. */
function nest(open: string, close: string, depth: number, balanced: boolean): string {
  return open.repeat(depth) + (balanced ? close.repeat(depth) : "");
}

const nesting = fc
  .tuple(
    fc.constantFrom(["f(", ")"], ["(", ")"], ["[", "]"], ["{", "}"], ["[1, ", "]"], ["g(a: ", ")"], ["model M { ", "}"]),
    fc.integer({ min: 1, max: 3000 }),
    fc.boolean(),
  )
  .map(([[open, close], depth, balanced]) => nest(open!, close!, depth, balanced));

const longName = fc.integer({ min: 1, max: 20_000 }).map((n) => "n".repeat(n));

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.tuple(where, fc.constantFrom(...hostileNumbers)).map(([at, n]) => replaceNumber(at, n)),
  fc.tuple(where, fc.constantFrom(...hostileCharacters)).map(([at, ch]) => insertAt(at, ch)),
  fc.constantFrom(...lineBreaks).map(replaceLineBreaks),
  fc.tuple(where, nesting).map(([at, nested]) => insertAt(at, nested)),
  fc.tuple(where, longName).map(([at, name]) => insertAt(at, name)),
  fc.constantFrom<Edit>(
    (t) => "\uFEFF" + t,
    (t) => t + "\u0000",
    (t) => t.replace(/ /g, "\t"),
    (t) => t.replace(/\n/g, " "),
    (t) => t.replace(/\n/g, "\n# \u202E comment with RTL override \u{1F600}\n"),
    (t) => t.replace(/([A-Za-z_]+)/, "$1\u200D"),
  ),
);

/** A program from `base` with one to three hostile edits. */
export function hostileEdits(base: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(base, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([text, edits]) => edits.reduce((t, e) => e(t), text));
}
