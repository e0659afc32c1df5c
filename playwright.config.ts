import { defineConfig } from "@playwright/test";
import { E2E, E2E_CLUSTER } from "./e2e/env";

/**
 * e2e against the production build and a real devstack on its own ports. No browser download:
 * Debian's /usr/bin/chromium, with the flags this closed network needs.
 */
export default defineConfig({
  testDir: "e2e",
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  reporter: process.env.PW_JSON_REPORT ? [["list"], ["json", { outputFile: process.env.PW_JSON_REPORT }]] : [["list"]],
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL: E2E.baseURL,
    viewport: { width: 1440, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: [
    {
      // The demo script starts the devstack first, then the console: the same path a newcomer takes.
      command: "rm -rf .console-data-e2e && node scripts/demo.mjs",
      url: `${E2E.baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 120_000,
      env: E2E.serverEnv,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    },
    {
      // The cluster demo, for the cluster specs (cluster.spec.ts), which set their own baseURL.
      command: "rm -rf .console-data-e2e-cluster && node scripts/demo.mjs --cluster",
      url: `${E2E_CLUSTER.baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 150_000,
      env: E2E_CLUSTER.serverEnv,
      stdout: "pipe",
      stderr: "pipe",
      gracefulShutdown: { signal: "SIGTERM", timeout: 20_000 },
    },
  ],
});
