import { defineConfig } from "vitest/config";
import path from "node:path";

/**
 * Integration tests against real redis-server / redis-sentinel processes. Files run one at a
 * time: each starts its own devstack on its own ports, and two cores cannot host many at once.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/server-only-stub.ts") } },
  test: {
    include: ["tests/integration/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // No retries: a flaky test is a bug to fix, not to hide.
    retry: 0,
  },
});
