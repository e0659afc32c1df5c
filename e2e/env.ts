/** Where the e2e console and its devstack live: own ports and dirs, never the demo's. */
export const E2E = {
  port: 3199,
  baseURL: "http://127.0.0.1:3199",
  devstackBasePort: 17400,
  devstackDir: ".devstack-test-17400",
  operatorToken: "e2e-operator-token-not-secret",
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
