// The words and characters fuzz inputs are made of: the language's tokens, the names the checker
// resolves, and the hostile characters and numbers no valid program contains.

export const keywords = ["model", "input", "output", "train", "loss", "optimizer", "as"] as const;

export const punctuation = ["|>", "{", "}", "(", ")", "[", "]", ":", ",", "=", "-"] as const;

// The op list is the registry's, so a new op is fuzzed from the day it lands.
import { opNames } from "../../src/ops/index.js";

export { opNames };

export const trainNames = ["softmax_cross_entropy", "mse", "binary_cross_entropy", "sgd", "adam", "step", "cosine", "none"] as const;

export const argumentNames = [
  "filters",
  "kernel",
  "stride",
  "padding",
  "dilation",
  "bias",
  "size",
  "units",
  "alpha",
  "rate",
  "lr",
  "momentum",
  "nesterov",
  "weight_decay",
  "beta1",
  "beta2",
  "eps",
  "clip_norm",
  "schedule",
  "every",
  "gamma",
] as const;

export const valueNames = ["same", "valid", "true", "false", "x", "y", "image", "logits"] as const;

/** Numbers at and past the edges of what a double or the limits hold. */
export const hostileNumbers = [
  "0",
  "1",
  "3",
  "0.5",
  ".5",
  "5.",
  "1e-3",
  "1E+5",
  "6e0",
  "6.0",
  "1e400",
  "-1e400",
  "1e-400",
  "2e308",
  "1.7976931348623157e308",
  "1.7976931348623159e308",
  "4.9e-324",
  "9007199254740992",
  "9007199254740993",
  "18446744073709551616",
  "16777216",
  "16777217",
  "99999999999999999999",
  "1".padEnd(400, "0"),
  "9".repeat(64),
  "9".repeat(65),
  "0x10",
  "1_000",
  "1e",
  "1e+",
  "..5",
  "00012",
] as const;

/** Characters outside the language, and line breaks of every kind. */
export const hostileCharacters = [
  "\u0000",
  "\r\n",
  "\r",
  "\n",
  "\t",
  "\f",
  "\v",
  "\uFEFF",
  "\u00A0",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u200E",
  "\u200F",
  "\u202E",
  "\u2066",
  "\u200B",
  "\u200D",
  "\u0301",
  "é",
  "ı",
  "😀",
  "\u{1D400}",
  "\uD800",
  "\uDC00",
  "@",
  "$",
  "\\",
  "`",
  '"',
  "'",
  "/*",
  "*/",
  "${",
  "#",
  "//",
  "|",
  ">",
  ".",
  ";",
] as const;

/** Every token a random token sequence may contain. */
export const allWords: readonly string[] = [
  ...keywords,
  ...punctuation,
  ...opNames,
  ...trainNames,
  ...argumentNames,
  ...valueNames,
  ...hostileNumbers,
  ...hostileCharacters,
  "M",
  "Net",
  "# comment\n",
  "// comment\n",
];

/** What separates two tokens in a random sequence. */
export const separators = [" ", " ", " ", "", "\n", "\r\n", "\t", "\u2028", "  \n  "] as const;
