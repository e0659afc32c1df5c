import "server-only";
/**
 * The fault proxy a console runs for an external deployment (`"chaos": {"proxy": {"listen":
 * {"host", "port"}, "upstream": "sentinel"}}`): the one way it can add latency to a stack it does
 * not own. The team points its layers' Redis address at `listen`; every connection is forwarded
 * to the master the sentinels name (asked every second; on a switch the old connections are
 * dropped, as a VIP would). TLS passes through untouched. It lives in the console's process, so
 * a latency it adds dies with it, and so does the path: the plan says so before a run.
 */
import { FaultProxy, type ProxyTarget } from "../../contract/fault-proxy/fault-proxy";
import type { ConnectionAuth } from "../../redis/connection-auth";
import type { NodeAddress } from "../journal";
import { withClient } from "./connect";

const MASTER_EVERY_MS = 1000;

export class ConsoleProxy {
  private readonly proxy: FaultProxy;
  private master: ProxyTarget | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Why it is not listening, when it could not (the port taken, say); null while it serves. */
  problem: string | null = "not started";

  constructor(
    readonly listen: { host: string; port: number },
    private readonly sentinels: NodeAddress[],
    private readonly masterName: string,
    private readonly sentinelAuth: ConnectionAuth,
    private readonly timeoutMs: number,
  ) {
    this.proxy = new FaultProxy({ port: listen.port, host: listen.host, upstream: () => this.master });
  }

  async start(): Promise<void> {
    await this.lookup();
    try {
      await this.proxy.listen();
      this.problem = null;
    } catch (err) {
      this.problem = `the console's fault proxy cannot listen on ${this.listen.host}:${this.listen.port}: ${(err as Error).message}`;
      return;
    }
    this.timer = setInterval(() => void this.lookup(), MASTER_EVERY_MS);
  }

  private async lookup(): Promise<void> {
    for (const s of this.sentinels) {
      const answer = await withClient(s, this.sentinelAuth, this.timeoutMs, (r) => r.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", this.masterName)).catch(
        () => null,
      );
      if (!Array.isArray(answer)) continue;
      const next = { host: String(answer[0]), port: Number(answer[1]) };
      const moved = this.master && (this.master.host !== next.host || this.master.port !== next.port);
      this.master = next;
      // Connections to the old master lead to a replica now: drop them, the clients reconnect here.
      if (moved) this.proxy.dropAll();
      return;
    }
  }

  setLatency(ms: number, jitterMs: number): void {
    this.proxy.setLatency(ms, jitterMs);
  }

  clearLatency(): void {
    this.proxy.clearLatency();
  }

  get connections(): number {
    return this.proxy.connections;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.proxy.close().catch(() => {});
  }
}
