import { defineConfig } from "vitest/config";
import { LongestFirst } from "./test/longest-first.js";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default is one worker less than the cores: on CI's 2 cores, a single file at a
    // time. Two workers keep both cores busy (most files wait on compiles, child processes or
    // Chromium part of the time).
    maxWorkers: 2,
    // A worker runs file after file in one process, so the compiler, TypeScript, prettier,
    // binaryen and tfjs are imported once per worker rather than once per file: with isolation
    // each of the 61 files paid 1-3 s of imports before its first test (half the suite's
    // time on 2 cores). No test file mocks modules, stubs globals or changes process.env; the
    // ones that set tfjs's backend all set the same one, and names.test.ts's canary snapshots the
    // global object when it starts.
    isolate: false,
    sequence: { sequencer: LongestFirst },
    globalSetup: ["test/global-setup.ts"],
  },
});
