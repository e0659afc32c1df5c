import "server-only";
/**
 * Following the sandbox across restarts. The supervisor makes a new password (and stack id) at
 * every start, and `stack up --base-port` may move it: a devstack deployment must notice the new
 * state file and reconnect, or it fails to authenticate until the console restarts.
 */
import fs from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { readStackState, stateFile } from "../contract/devstack-state";
import type { DevstackState } from "../config/devstack-state";
import type { ConsoleConfig } from "../config/schema";

/** What identifies one version of the file: a rename-on-write gives a new inode, an edit a new size or mtime. */
function signatureOf(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return "absent";
  }
}

/**
 * The state file of the sandbox in `dir`, re-read only when it changed (one stat per look), with a
 * look requested the moment it changes (fs.watch on the dir; the stat covers a watch that misses).
 */
export class SandboxStateWatch {
  private signature: string | null = null;
  private state: DevstackState | null = null;
  private watcher: fs.FSWatcher | null = null;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly onChange: () => void,
  ) {}

  /** The state now (null: no sandbox, or a file of another shape). */
  current(): DevstackState | null {
    this.watch();
    const signature = signatureOf(stateFile(this.dir));
    if (signature !== this.signature) {
      this.signature = signature;
      this.state = signature === "absent" ? null : readStackState(this.dir);
    }
    return this.state;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    this.watcher = null;
  }

  private watch(): void {
    if (this.watcher || this.closed) return;
    try {
      this.watcher = fs.watch(this.dir, { persistent: false }, (_event, name) => {
        if (!name || String(name) === "state.json") this.onChange();
      });
      this.watcher.on("error", () => {
        // The dir went away: watch again once it is back (the next look tries).
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // No dir yet (the sandbox was never started here): the next look tries again.
      this.watcher = null;
    }
  }
}

/**
 * The config after the sandbox moved from layout `before` to `after` (both as devstackConfig
 * derives them): every part the config had taken from the sandbox (nodes, sentinels, the
 * layers' Redis address, layer URLs, the control URL) follows it; a part the config file
 * names itself stays as written.
 */
export function followSandboxLayout(config: ConsoleConfig, before: ConsoleConfig, after: ConsoleConfig): ConsoleConfig {
  const follow = <T>(mine: T, was: T, now: T): T => (isDeepStrictEqual(mine, was) ? now : mine);
  return {
    ...config,
    redis: {
      ...config.redis,
      masterName: follow(config.redis.masterName, before.redis.masterName, after.redis.masterName),
      nodes: follow(config.redis.nodes, before.redis.nodes, after.redis.nodes),
      sentinels: follow(config.redis.sentinels, before.redis.sentinels, after.redis.sentinels),
      layerAddress: follow(config.redis.layerAddress, before.redis.layerAddress, after.redis.layerAddress),
      // A sandbox restarted with (or without) --tls --acl: its users and CA follow too.
      username: follow(config.redis.username, before.redis.username, after.redis.username),
      tls: follow(config.redis.tls, before.redis.tls, after.redis.tls),
      sentinelUsername: follow(config.redis.sentinelUsername, before.redis.sentinelUsername, after.redis.sentinelUsername),
      sentinelPassword: follow(config.redis.sentinelPassword, before.redis.sentinelPassword, after.redis.sentinelPassword),
      sentinelTls: follow(config.redis.sentinelTls, before.redis.sentinelTls, after.redis.sentinelTls),
    },
    layers: follow(config.layers, before.layers, after.layers),
    devstack: config.devstack && {
      ...config.devstack,
      controlUrl: follow(config.devstack.controlUrl, before.devstack?.controlUrl, after.devstack?.controlUrl),
    },
  };
}
