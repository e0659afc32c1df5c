/** Where the e2e console and its devstack live: own ports and dirs, never the demo's. */
const shift = Number(process.env.RRC_TEST_PORT_SHIFT ?? 0);

export const E2E = {
  port: 3199 + shift,
  baseURL: `http://127.0.0.1:${3199 + shift}`,
  devstackBasePort: 17400 + shift,
  devstackDir: `.devstack-test-${17400 + shift}`,
  operatorToken: "e2e-operator-token-not-secret-0123456789",
  get serverEnv(): Record<string, string> {
    return {
      PORT: String(this.port),
      DEVSTACK_DIR: this.devstackDir,
      DEVSTACK_BASE_PORT: String(this.devstackBasePort),
      // Faster failure detection than production, so failovers fit in a test.
      DEVSTACK_DOWN_AFTER_MILLISECONDS: "2000",
      CONSOLE_DATA_DIR: ".console-data-e2e",
      OPERATOR_TOKEN: this.operatorToken,
      DEMO_SKIP_BUILD: "1",
    };
  },
};
