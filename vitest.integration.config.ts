import { defineConfig } from "vitest/config";
import path from "node:path";
import { LongestFirstSequencer } from "./tests/integration/sequencer";

/**
 * Integration tests against real redis-server / redis-sentinel processes. Files run side by side:
 * each starts its own devstack on its own ports and dirs (tests/integration/helpers/stack.ts), and
 * they mostly wait on protocol timers, so more files than cores fit. RRC_TEST_WORKERS overrides.
 */
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "tests/server-only-stub.ts") } },
  test: {
    include: ["tests/integration/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: true,
    // Three files side by side on CI's 2 cores: with four, the sandboxes' layers and sentinels were
    // starved often enough to refute the guide's 2–3 s recovery on a run (CI's limit is 90 min; this costs ~3).
    maxWorkers: Number(process.env.RRC_TEST_WORKERS ?? 3),
    // The longest files start first, so the last one to finish is not a long one started late.
    sequence: { sequencer: LongestFirstSequencer },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // No retries: a flaky test is a bug to fix, not to hide.
    retry: 0,
  },
});
