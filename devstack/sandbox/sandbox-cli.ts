/**
 * `npm run stack -- up|down|status|reset` for either sandbox: the commands, their output and exit
 * codes are the same; each sandbox fills in how it describes itself and how it resets.
 */
import { isAlive } from "../state";
import { cleanStaleSandbox, sandboxDown, sandboxUp, StackError, type SandboxKind, type SupervisedState } from "./sandbox-lifecycle";

export interface SandboxCli<Settings extends { dir: string; basePort: number }, State extends SupervisedState, Status extends { running: boolean }> {
  kind: SandboxKind<Settings, State>;
  usage: string;
  /** The secret-free description `up` and `status` print. */
  status(state: State): Promise<Status>;
  format(status: Status): string;
  /** Whether `status` exits 0. */
  healthy(status: Status): boolean;
  /** Resets through the control API; resolves with the line to print, throws with why it failed. */
  reset(state: State): Promise<string>;
  /** Whether its control API listens yet. */
  hasControl(state: State): boolean;
}

export async function runSandboxCommand<Se extends { dir: string; basePort: number }, St extends SupervisedState, Status extends { running: boolean }>(
  cli: SandboxCli<Se, St, Status>,
  command: string | undefined,
  settings: Se,
  json: boolean,
): Promise<number> {
  const { kind } = cli;
  switch (command) {
    case "up": {
      const status = await cli.status(await sandboxUp(kind, settings));
      console.log(json ? JSON.stringify(status, null, 2) : `${kind.noun} up\n${cli.format(status)}`);
      return 0;
    }
    case "down": {
      const { wasRunning, leftovers } = await sandboxDown(kind, settings.dir);
      console.log(wasRunning ? `${kind.noun} stopped` : leftovers ? `no supervisor; killed ${leftovers} leftover processes` : `no ${kind.noun} was running`);
      return 0;
    }
    case "status": {
      const state = kind.readState(settings.dir);
      if (!state) {
        console.log(json ? JSON.stringify({ running: false, dir: settings.dir }) : `no ${kind.noun} in ${settings.dir}`);
        return 1;
      }
      const status = await cli.status(state);
      console.log(json ? JSON.stringify(status, null, 2) : cli.format(status));
      return cli.healthy(status) ? 0 : 1;
    }
    case "reset": {
      const state = kind.readState(settings.dir);
      if (!state || !isAlive(state.supervisorPid)) {
        if (state) await cleanStaleSandbox(kind, settings.dir);
        throw new StackError(`no ${kind.noun} is running; start one with: npm run stack -- up${kind.flag}`);
      }
      if (!cli.hasControl(state)) throw new StackError(`the ${kind.noun} is still starting; its control API is not up yet`);
      try {
        console.log(await cli.reset(state));
        return 0;
      } catch (err) {
        console.log(`reset failed: ${(err as Error).message}`);
        return 1;
      }
    }
    default:
      console.error(cli.usage);
      return 2;
  }
}
