/**
 * Where the fault proxy sends a new connection: the layers' Redis address as the platform has it.
 * "follow" is a Sentinel-aware address (a VIP, or a proxy with role checks): the master as last
 * learned from the sentinels, old connections dropped on +switch-master. "pinned" is a fixed
 * address (a compose service name `gw-redis` resolving to `redis-master`): the node that was master
 * when the pin was set, through any failover — refused while it is down, READONLY once it rejoins
 * as a replica.
 */
import type { LayerAddressing } from "../../lib/contract/control-requests";
import type { ProxyTarget } from "../../lib/contract/fault-proxy/fault-proxy";

export class ProxyAddressing {
  private current: LayerAddressing;
  private pinned: ProxyTarget | null = null;

  constructor(
    readonly defaultMode: LayerAddressing,
    private readonly master: () => ProxyTarget | null,
  ) {
    this.current = defaultMode;
  }

  get mode(): LayerAddressing {
    return this.current;
  }

  /** The node a pinned address leads to ("host:port"), or null when following. */
  get pinnedTo(): string | null {
    return this.current === "pinned" && this.pinned ? `${this.pinned.host}:${this.pinned.port}` : null;
  }

  /** Switches mode; pinning fixes the address to the master of this moment (the first master, for a stack started pinned). */
  set(mode: LayerAddressing): void {
    if (mode === "pinned" && (this.current !== "pinned" || !this.pinned)) {
      const m = this.master();
      this.pinned = m && { ...m };
    }
    this.current = mode;
  }

  /**
   * Back to the sandbox's default mode (the reset's "someone fixed DNS"): a pin is taken again
   * from the master of now. True when new connections now go elsewhere than before.
   */
  restore(): boolean {
    const before = this.upstream();
    this.pinned = null;
    this.current = this.defaultMode;
    const after = this.upstream();
    return before?.port !== after?.port || before?.host !== after?.host;
  }

  /** The proxy's upstream for a new connection. */
  upstream(): ProxyTarget | null {
    if (this.current === "follow") return this.master();
    if (!this.pinned) this.pinned = this.master() && { ...this.master()! };
    return this.pinned;
  }

  /** Whether a +switch-master should drop the proxy's connections (only a following address moves). */
  followsSwitch(): boolean {
    return this.current === "follow";
  }
}
