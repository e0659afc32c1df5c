/** `npm run stack -- up|down|status|reset [--cluster] [--json] [--base-port N] [--dir D] [--<setting>=value]` */
import { ControlClient } from "../lib/contract/control-client";
import { clusterMain } from "./cluster/cluster-cli";
import { cleanStale, StackError, stackDown, stackUp } from "./lifecycle";
import { resolveSettings } from "./settings";
import { isAlive, readState } from "./state";
import { formatStatus, publicStatus } from "./status";

const USAGE = "usage: npm run stack -- up|down|status|reset [--json] [--base-port N] [--dir DIR] [--maxmemory 64mb] …";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // The Redis Cluster sandbox: its own settings, dir and state file (devstack/cluster/).
  if (rest.includes("--cluster")) return clusterMain(command, rest);
  const settings = resolveSettings(rest);
  const json = rest.includes("--json");
  switch (command) {
    case "up": {
      const state = await stackUp(settings);
      const status = await publicStatus(state);
      console.log(json ? JSON.stringify(status, null, 2) : `stack up\n${formatStatus(status)}`);
      return 0;
    }
    case "down": {
      const { wasRunning, leftovers } = await stackDown(settings.dir);
      console.log(wasRunning ? "stack stopped" : leftovers ? `no supervisor; killed ${leftovers} leftover processes` : "no stack was running");
      return 0;
    }
    case "status": {
      const state = readState(settings.dir);
      if (!state) {
        console.log(json ? JSON.stringify({ running: false, dir: settings.dir }) : `no stack in ${settings.dir}`);
        return 1;
      }
      const status = await publicStatus(state);
      console.log(json ? JSON.stringify(status, null, 2) : formatStatus(status));
      return status.running ? 0 : 1;
    }
    case "reset": {
      const state = readState(settings.dir);
      if (!state || !isAlive(state.supervisorPid)) {
        if (state) await cleanStale(settings.dir);
        throw new StackError("no stack is running; start one with: npm run stack -- up");
      }
      if (!state.control) throw new StackError("this stack has no control API to reset through");
      try {
        const reset = await ControlClient.forState(state).reset();
        console.log(`stack reset: healthy (${reset.tookMs} ms, master ${reset.master})`);
        return 0;
      } catch (err) {
        console.log(`reset failed: ${(err as Error).message}`);
        return 1;
      }
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`stack: ${(err as Error).message}`);
    process.exit(err instanceof StackError ? err.exitCode : 1);
  },
);
