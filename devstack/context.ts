/** What the supervisor hands to every devstack service (proxy, layers, control API, workloads). */
import type { RedisAuth } from "./redis-auth";
import type { StackSettings } from "./settings";
import type { StackState } from "./state";
import type { Topology } from "./topology/topology";

export interface StackContext {
  settings: StackSettings;
  password: string;
  /** Each devstack client's login: user, password, TLS (topology/sandbox-security.ts). */
  auth: { devstack: RedisAuth; layers: RedisAuth; sentinel: RedisAuth };
  /** Every secret of this sandbox, for redaction. */
  secrets: string[];
  controlToken: string;
  topology: Topology;
  /** Re-reads pids and service ports into the state file. */
  persist(): void;
  /** The state as last persisted (contains secrets: never print it). */
  state(): StackState;
  log(message: string): void;
}

/** A started service: something the supervisor must stop on shutdown. */
export interface StackService {
  name: string;
  stop(): Promise<void>;
}
