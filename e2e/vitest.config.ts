import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    globalSetup: ["e2e/global-setup.ts"],
    // Journeys share one server and one browser binary; run them one after another.
    fileParallelism: false,
    // Generous: a journey on a busy 2-core machine is slow; only a failing one waits this long.
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
