import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // vitest's default is one worker less than the cores: on CI's 2 cores, a single file at a
    // time. Two workers keep both cores busy (most files wait on compiles, child processes or
    // Chromium part of the time).
    maxWorkers: 2,
  },
});
