import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each open their own database schema; two workers fit two cores.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default", "json"],
    outputFile: { json: "test-output/vitest.json" },
  },
});
