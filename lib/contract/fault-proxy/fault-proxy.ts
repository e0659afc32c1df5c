/**
 * The fault proxy: the layers' single Redis address (the guide's `gw-redis`). It forwards
 * every TCP connection to the current master and can add latency, cut connections or
 * blackhole them. Faults are plain state here; TTLs live in the control API's fault book.
 */
import net from "node:net";
import type { ProxyFaultState } from "../control-answers";
import type { CutMode } from "../control-requests";
import { DelayQueue, directionDelay } from "./delay-queue";

export interface ProxyTarget {
  host: string;
  port: number;
}

export interface FaultProxyOptions {
  port: number;
  /** Where it listens (127.0.0.1 unless a console-run proxy's config says otherwise). */
  host?: string;
  /** Where a new connection goes: the master as last learned from the sentinels. */
  upstream: () => ProxyTarget | null;
  connectTimeoutMs?: number;
}

interface Link {
  client: net.Socket;
  upstream: net.Socket | null;
  toUpstream: DelayQueue;
  toClient: DelayQueue;
  blackholed: boolean;
}

function drop(socket: net.Socket | null, mode: CutMode): void {
  if (!socket || socket.destroyed) return;
  if (mode === "reset") {
    try {
      socket.resetAndDestroy();
      return;
    } catch {
      /* not connected yet: a plain destroy does */
    }
  }
  socket.destroy();
}

/** A TCP proxy to the current Redis master with latency, cut and blackhole faults. */
export class FaultProxy {
  private readonly server: net.Server;
  private readonly links = new Set<Link>();
  private faults: ProxyFaultState = { latency: null, cut: null, blackhole: false };

  constructor(private readonly opts: FaultProxyOptions) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.opts.port, host: this.opts.host ?? "127.0.0.1", exclusive: true }, () => resolve());
    });
  }

  async close(): Promise<void> {
    for (const link of [...this.links]) this.teardown(link);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The active faults (a copy). */
  faultState(): ProxyFaultState {
    return { ...this.faults, latency: this.faults.latency && { ...this.faults.latency } };
  }

  get connections(): number {
    return this.links.size;
  }

  /** Adds `ms` (± jitterMs) to every round trip, half on each direction. Replaces earlier latency. */
  setLatency(ms: number, jitterMs = 0): void {
    this.faults.latency = { ms, jitterMs };
  }

  clearLatency(): void {
    this.faults.latency = null;
  }

  /** Drops every connection and every new one until uncut. */
  cut(mode: CutMode): void {
    this.faults.cut = mode;
    for (const link of [...this.links]) this.teardown(link, mode);
  }

  uncut(): void {
    this.faults.cut = null;
  }

  /** Connections stay open but nothing is forwarded either way: clients wait for their timeouts. */
  startBlackhole(): void {
    this.faults.blackhole = true;
    for (const link of this.links) {
      link.blackholed = true;
      link.toUpstream.clear();
      link.toClient.clear();
    }
  }

  /**
   * Ends the blackhole. Connections that lost bytes are closed rather than resumed: a Redis
   * client whose commands vanished would otherwise match later replies to the wrong commands.
   */
  stopBlackhole(): void {
    this.faults.blackhole = false;
    for (const link of [...this.links]) if (link.blackholed) this.teardown(link);
  }

  clearFaults(): void {
    this.clearLatency();
    this.uncut();
    this.stopBlackhole();
  }

  /** Closes every connection, e.g. after a failover: clients reconnect and reach the new master. */
  dropAll(): number {
    const n = this.links.size;
    for (const link of [...this.links]) this.teardown(link);
    return n;
  }

  private delay(): number {
    const l = this.faults.latency;
    return l ? directionDelay(l.ms, l.jitterMs) : 0;
  }

  private accept(client: net.Socket): void {
    client.on("error", () => {
      /* the client went away; close handles the rest */
    });
    if (this.faults.cut) {
      drop(client, this.faults.cut);
      return;
    }
    client.setNoDelay(true);
    const link: Link = {
      client,
      upstream: null,
      blackholed: this.faults.blackhole,
      toUpstream: new DelayQueue((chunk) => link.upstream?.write(chunk)),
      toClient: new DelayQueue((chunk) => client.write(chunk)),
    };
    this.links.add(link);
    client.on("close", () => this.teardown(link));
    client.on("data", (chunk: Buffer) => {
      if (!link.blackholed) link.toUpstream.push(chunk, this.delay());
    });
    if (!link.blackholed) this.connectUpstream(link);
  }

  private connectUpstream(link: Link): void {
    const target = this.opts.upstream();
    if (!target) {
      this.teardown(link);
      return;
    }
    const upstream = net.connect({ host: target.host, port: target.port });
    link.upstream = upstream;
    upstream.setNoDelay(true);
    // Bounded connect: a frozen or unroutable master must not hold the client forever.
    upstream.setTimeout(this.opts.connectTimeoutMs ?? 1000, () => this.teardown(link));
    upstream.once("connect", () => upstream.setTimeout(0));
    upstream.on("error", () => {
      /* refused or reset by Redis; close tears the link down */
    });
    upstream.on("close", () => this.teardown(link));
    upstream.on("data", (chunk: Buffer) => {
      if (!link.blackholed) link.toClient.push(chunk, this.delay());
    });
  }

  private teardown(link: Link, mode: CutMode = "refuse"): void {
    if (!this.links.delete(link)) return;
    link.toUpstream.clear();
    link.toClient.clear();
    drop(link.client, mode);
    drop(link.upstream, mode);
  }
}
