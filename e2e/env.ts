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

/** The cluster demo (`npm run demo -- --cluster`) the cluster specs use: its own console port, cluster ports and dir. */
export const E2E_CLUSTER = {
  port: 3198 + shift,
  baseURL: `http://127.0.0.1:${3198 + shift}`,
  clusterBasePort: 18400 + shift,
  clusterDir: `.devstack-test-cluster-${18400 + shift}`,
  operatorToken: E2E.operatorToken,
  get serverEnv(): Record<string, string> {
    return {
      PORT: String(this.port),
      DEVSTACK_CLUSTER_DIR: this.clusterDir,
      DEVSTACK_CLUSTER_BASE_PORT: String(this.clusterBasePort),
      CONSOLE_DATA_DIR: ".console-data-e2e-cluster",
      OPERATOR_TOKEN: this.operatorToken,
      DEMO_SKIP_BUILD: "1",
    };
  },
};
