// The families of fuzz inputs and their share of the run: token soup, generated programs, token
// mutations of valid programs, hostile edits of valid programs, and arbitrary strings.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { hostileEdits } from "./hostile.js";
import { applyMutations, mutation } from "./mutate.js";
import { program } from "./programs.js";
import { allWords, separators } from "./vocabulary.js";

export interface Family {
  readonly name: string;
  /** share of the total count */
  readonly weight: number;
  readonly inputs: fc.Arbitrary<string>;
}

const examplesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");

export const examples: readonly string[] = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".cnn"))
  .sort()
  .map((f) => readFileSync(join(examplesDir, f), "utf8"));

/** A valid program to start from: an example or a generated one. */
const base = fc.oneof(fc.constantFrom(...examples), program);

const tokenSoup = fc
  .array(fc.tuple(fc.constantFrom(...allWords), fc.constantFrom(...separators)), { maxLength: 80 })
  .map((pairs) => pairs.map(([word, sep]) => word + sep).join(""));

const mutated = fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => applyMutations(text, ms));

const strings = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 300 }));

export const families: readonly Family[] = [
  { name: "token sequences", weight: 0.2, inputs: tokenSoup },
  { name: "generated programs", weight: 0.25, inputs: program },
  { name: "mutated programs", weight: 0.3, inputs: mutated },
  { name: "hostile edits", weight: 0.2, inputs: hostileEdits(base) },
  { name: "arbitrary strings", weight: 0.05, inputs: strings },
];

/** Inputs a family gets out of `total`: its share, and at least one. */
export function runsFor(family: Family, total: number): number {
  return Math.max(1, Math.round(family.weight * total));
}
