// --watch: run a command, then again each time its input file changes (debounced, as editors
// write a file in several steps), until Ctrl-C. The command itself writes the output only when
// the source compiles, so a broken edit leaves the last good output in place.
import { watch } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import type { CliIo } from "./io.js";

/** Quiet time after the last change before running again. */
export const debounceMs = 100;

export interface WatchIo extends CliIo {
  /** clear the terminal before each run: only when stderr is a terminal */
  readonly clear: boolean;
}

/** Runs `run` now and on every change of `path`; resolves with 0 on SIGINT or SIGTERM. */
export function watchFile(path: string, io: WatchIo, run: () => Promise<number>): Promise<number> {
  const once = async (): Promise<void> => {
    if (io.clear) io.err("\x1b[2J\x1b[3J\x1b[H");
    const status = await run();
    io.err(`[watch] ${status === 0 ? "done" : "failed"}; watching ${path} for changes (Ctrl-C to stop)\n`);
  };
  return new Promise((resolvePromise) => {
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    let pending = false;
    // a change during a run is not lost: that run is followed by another
    const go = async (): Promise<void> => {
      if (running) return void (pending = true);
      running = true;
      await once();
      running = false;
      if (pending) {
        pending = false;
        schedule();
      }
    };
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => void go(), debounceMs);
    };
    // watching starts before the first run, so an edit saved while it runs is seen. The folder
    // is watched, not the file: an editor that saves by renaming a new file over the old one
    // would leave a watcher on the file itself watching the deleted original.
    const file = basename(path);
    const watcher = watch(dirname(resolve(path)), (_event, name) => {
      if (name === null || name === file) schedule();
    });
    const stop = (): void => {
      watcher.close();
      clearTimeout(timer);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.err("[watch] stopped\n");
      resolvePromise(0);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
    void go();
  });
}
