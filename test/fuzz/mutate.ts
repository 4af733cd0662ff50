// Token-level mutations of valid programs: truncations, deletions, duplications and swaps of
// token ranges, and single-token replacements and insertions from the fuzz vocabulary.
import fc from "fast-check";
import { tokenize } from "./tokens.js";
import { allWords } from "./vocabulary.js";

export type Mutation =
  | { readonly kind: "truncate"; readonly at: number }
  | { readonly kind: "delete" | "duplicate"; readonly at: number; readonly length: number }
  | { readonly kind: "swap"; readonly at: number; readonly length: number; readonly other: number }
  | { readonly kind: "replace" | "insert"; readonly at: number; readonly word: string };

// Positions are fractions of the token count, so one mutation applies to any program.
const where = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const span = fc.integer({ min: 1, max: 12 });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  where.map((at): Mutation => ({ kind: "truncate", at })),
  fc.record({ kind: fc.constantFrom("delete" as const, "duplicate" as const), at: where, length: span }),
  fc.record({ kind: fc.constant("swap" as const), at: where, length: span, other: where }),
  fc.record({ kind: fc.constantFrom("replace" as const, "insert" as const), at: where, word: fc.constantFrom(...allWords) }),
);

export function applyMutations(text: string, mutations: readonly Mutation[]): string {
  let tokens = tokenize(text);
  for (const m of mutations) tokens = applyOne(tokens, m);
  return tokens.join("");
}

function applyOne(tokens: string[], m: Mutation): string[] {
  const at = Math.floor(m.at * tokens.length);
  switch (m.kind) {
    case "truncate":
      return tokens.slice(0, at);
    case "delete":
      return [...tokens.slice(0, at), ...tokens.slice(at + m.length)];
    case "duplicate":
      return [...tokens.slice(0, at + m.length), ...tokens.slice(at, at + m.length), ...tokens.slice(at + m.length)];
    case "swap":
      return swapRanges(tokens, at, m.length, Math.floor(m.other * tokens.length));
    case "replace":
      return [...tokens.slice(0, at), m.word, ...tokens.slice(at + 1)];
    case "insert":
      return [...tokens.slice(0, at), m.word, ...tokens.slice(at)];
  }
}

/** Exchanges tokens [a, a+length) with [b, b+length), or moves the first range if they overlap. */
function swapRanges(tokens: string[], a: number, length: number, b: number): string[] {
  const [first, second] = a <= b ? [a, b] : [b, a];
  const firstEnd = Math.min(first + length, tokens.length);
  if (second < firstEnd) return [...tokens.slice(0, first), ...tokens.slice(firstEnd), ...tokens.slice(first, firstEnd)];
  const secondEnd = Math.min(second + length, tokens.length);
  return [
    ...tokens.slice(0, first),
    ...tokens.slice(second, secondEnd),
    ...tokens.slice(firstEnd, second),
    ...tokens.slice(first, firstEnd),
    ...tokens.slice(secondEnd),
  ];
}
