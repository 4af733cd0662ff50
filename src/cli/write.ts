// Writing the generated module so that no failure loses a file: the text goes to a temporary
// file in the target's directory, and a rename (atomic within one file system) puts it in place.
// A full disk or a crash mid-write leaves the old file as it was, and at worst a stray temp file.
import { randomBytes } from "node:crypto";
import { open, realpath, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { IoError, reason } from "./reasons.js";

/** The file operations a write uses, so a test can inject a failure at any step. */
export interface WriteFs {
  readonly writeTemp: (path: string, text: string, mode: number | undefined) => Promise<void>;
  readonly rename: (from: string, to: string) => Promise<void>;
}

const nodeFs: WriteFs = {
  async writeTemp(path, text, mode) {
    // "wx": never open a file that already exists; fsync so the rename never exposes an empty file
    const handle = await open(path, "wx", mode ?? 0o666);
    try {
      // open's mode passes through the umask; a replaced file keeps exactly the mode it had
      if (mode !== undefined) await handle.chmod(mode);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename,
};

export async function writeOutput(path: string, text: string, fs: WriteFs = nodeFs): Promise<void> {
  const directory = dirname(path);
  await requireDirectory(path, directory);
  // Through a symbolic link the link stays and its target is replaced, as an editor would do.
  const target = await realpath(path).catch(() => path);
  const existing = await stat(target).catch(() => undefined);
  if (existing?.isDirectory()) throw new IoError(`cannot write '${path}': is a directory`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    // an existing file keeps its permissions
    await fs.writeTemp(temp, text, existing ? existing.mode & 0o7777 : undefined);
    await fs.rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new IoError(`cannot write '${path}': ${reason(error)}; the previous file, if any, is unchanged`);
  }
}

// `-o` into a directory that does not exist is refused rather than created: a typo in a path
// should not scatter new directories (README, "The CLI").
async function requireDirectory(path: string, directory: string): Promise<void> {
  const info = await stat(directory).catch(() => undefined);
  if (info === undefined) throw new IoError(`cannot write '${path}': the directory '${directory}' does not exist (create it first)`);
  if (!info.isDirectory()) throw new IoError(`cannot write '${path}': '${directory}' is not a directory`);
}
