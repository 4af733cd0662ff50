// Reading the source and writing the output, with I/O failures as one-line messages (exit 2).
import { readFile } from "node:fs/promises";
import { IoError, reason } from "./reasons.js";
import { describeInvalidUtf8, firstInvalidUtf8 } from "./utf8.js";

export { IoError } from "./reasons.js";
export { writeOutput, type WriteFs } from "./write.js";

export async function readSource(path: string, stdin: () => Promise<Uint8Array>): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = path === "-" ? await stdin() : await readFile(path);
  } catch (error) {
    throw new IoError(`cannot read '${path}': ${reason(error)}`);
  }
  // Decoding with replacement would hand the checker a U+FFFD the user never wrote.
  const invalid = firstInvalidUtf8(bytes);
  if (invalid >= 0) throw new IoError(`cannot read '${path}': ${describeInvalidUtf8(bytes, invalid)}`);
  // ignoreBOM keeps a byte-order mark in the text, as before; the lexer skips it as white space
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

/** The default output: `net.cnn` -> `net.ts`, any other name gets `.ts` appended. */
export function defaultOutputPath(input: string): string {
  return input.endsWith(".cnn") ? `${input.slice(0, -4)}.ts` : `${input}.ts`;
}
