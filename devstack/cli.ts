/** `npm run stack -- up|down|status|reset [--cluster] [--json] [--base-port N] [--dir D] [--<setting>=value]` */
import { ControlClient } from "../lib/contract/control-client";
import { clusterMain } from "./cluster/cluster-cli";
import { SENTINEL_SANDBOX, StackError } from "./lifecycle";
import { runSandboxCommand, type SandboxCli } from "./sandbox/sandbox-cli";
import { resolveSettings, type StackSettings } from "./settings";
import type { StackState } from "./state";
import { formatStatus, publicStatus } from "./status";
import type { PublicStatus } from "../lib/contract/control-answers";

const USAGE = "usage: npm run stack -- up|down|status|reset [--json] [--base-port N] [--dir DIR] [--maxmemory 64mb] …";

const SENTINEL_CLI: SandboxCli<StackSettings, StackState, PublicStatus> = {
  kind: SENTINEL_SANDBOX,
  usage: USAGE,
  status: publicStatus,
  format: formatStatus,
  healthy: (s) => s.running,
  hasControl: (state) => !!state.control,
  async reset(state) {
    const reset = await ControlClient.forState(state).reset();
    return `stack reset: healthy (${reset.tookMs} ms, master ${reset.master})`;
  },
};

function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The Redis Cluster sandbox: its own settings, dir and state file (devstack/cluster/).
  if (rest.includes("--cluster")) return clusterMain(command, rest);
  return runSandboxCommand(SENTINEL_CLI, command, resolveSettings(rest), rest.includes("--json"));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`stack: ${(err as Error).message}`);
    process.exit(err instanceof StackError ? err.exitCode : 1);
  },
);
