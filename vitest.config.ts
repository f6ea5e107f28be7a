import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "apps/server/src/**/*.test.ts",
      "packages/*/src/**/*.test.ts",
      "apps/web/src/**/*.test.ts",
    ],
    // Each file gets its own embedded database; keep parallelism modest on 2-core machines.
    pool: "forks",
    maxWorkers: 2,
    // Files share a worker's module cache: every file starts its own server on its own
    // database, so nothing of one file's data reaches the next, and re-importing the whole
    // server for each of 100+ files cost about half of the suite's time (507 s → 254 s).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
