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
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
