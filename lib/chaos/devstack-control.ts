import "server-only";
/**
 * The devstack control API, as the chaos runner calls it: the contract's typed client, pointed
 * at the sandbox in `dir` and re-reading its state file at each call (a restarted sandbox has a
 * new token). URL and token stay on the server. The console itself never kills or
 * reconfigures: every fault goes through this API, which acts only on processes the devstack spawned.
 */
import { ControlClient } from "../contract/control-client";
import { targetInDir } from "../contract/control-transport";

export { ControlError } from "../contract/control-client";

export class DevstackControl extends ControlClient {
  constructor(dir: string) {
    super(() => targetInDir(dir));
  }
}
