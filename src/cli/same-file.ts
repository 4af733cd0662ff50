// `cnnc net.cnn -o net.cnn` must not replace the user's source with generated code: the output
// may not be the input under any name (the same path, a symbolic or a hard link), and never a
// .cnn file, which is always somebody's source.
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { UsageError } from "./args.js";

export async function refuseOverwritingSource(input: string, output: string): Promise<void> {
  if (output === "-") return;
  if (output.endsWith(".cnn")) throw new UsageError(`refusing to write generated code to '${output}': a .cnn file is source, choose an output ending in .ts`);
  if (input === "-") return;
  if (resolve(input) === resolve(output) || (await sameInode(input, output))) {
    throw new UsageError(`refusing to write the output over the input '${input}': choose another -o path`);
  }
}

async function sameInode(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}
