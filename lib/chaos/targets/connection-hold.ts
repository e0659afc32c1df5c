import "server-only";
/**
 * `exhaust-connections` on a dev stack the console does not own: connections held on the master,
 * with the chaos credential, until maxclients minus a headroom are in use, so Redis refuses every
 * new one. A dev stack's maxclients (10000 by default) is more than a console should hold, so past
 * HOLD_CAP free slots maxclients itself is lowered for the run, journaled first and put back at
 * the release (and by the journal's restore if the console dies: its connections die with it).
 * One admin connection, opened first and counted among them, reads the counters and puts
 * maxclients back (with no room left, no new one could).
 */
import type Redis from "ioredis";
import { infoFields } from "../../contract/info-fields";
import type { ConnectionsReleased, ExhaustAnswer } from "../../contract/control-answers";
import type { ExhaustRequest } from "../../contract/control-requests";
import type { ExhaustConnections } from "../capabilities";
import type { FaultJournal, NodeAddress } from "../journal";
import type { ConnectionAuth } from "../../redis/connection-auth";
import { createClient } from "../../redis/client";
import { addr, openClient } from "./connect";
import { HOLD_CAP } from "./hold-cap";

const BATCH = 16;

interface HoldAccess {
  master(): Promise<NodeAddress>;
  journal: FaultJournal;
  auth: ConnectionAuth;
  timeoutMs: number;
  /** The config's `chaos.connectionHeadroom`: a run never leaves fewer slots free than this. */
  minHeadroom: number;
}

/** Clients as maxclients counts them: connected_clients leaves the replicas out, Redis's limit does not. */
async function counters(admin: Redis): Promise<{ connected: number; rejected: number }> {
  const clients = infoFields(await admin.info("clients"));
  const replication = infoFields(await admin.info("replication"));
  const stats = infoFields(await admin.info("stats"));
  return { connected: Number(clients.connected_clients) + Number(replication.connected_slaves ?? 0), rejected: Number(stats.rejected_connections) };
}

export class ConnectionHold implements ExhaustConnections {
  private admin: Redis | null = null;
  private held: Redis[] = [];
  private lowered: { original: string } | null = null;
  private rejectedAtStart = 0;

  constructor(private readonly access: HoldAccess) {}

  /**
   * A new connection, held if Redis takes it (it answers PING), null if Redis refuses it: at
   * maxclients Redis writes its error and closes at once, which a client sees as EPIPE, a reset
   * or the error itself, before it is ever ready.
   */
  private async tryOne(node: NodeAddress): Promise<Redis | null> {
    const { auth, timeoutMs } = this.access;
    const client = createClient({ host: node.host, port: node.port, timeoutMs, auth });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => done(false), timeoutMs * 2);
      const done = (ok: boolean) => {
        clearTimeout(timer);
        client.off("ready", onReady);
        client.off("error", onError);
        resolve(ok);
      };
      const onReady = () => done(true);
      const onError = () => done(false);
      client.once("ready", onReady);
      client.once("error", onError);
    });
    // Held connections are never re-opened: a retry against a full Redis would count as one it refused.
    client.options.retryStrategy = () => null;
    if (ready && (await client.ping().catch(() => null)) === "PONG") return client;
    client.disconnect();
    return null;
  }

  async exhaustConnections(fault: ExhaustRequest): Promise<ExhaustAnswer> {
    if (fault.dropLayerConnections) throw new Error('a dev stack\'s layers are not behind a proxy the console can cut: layerConnections must be "keep"');
    const headroom = Math.max(fault.headroom ?? 0, this.access.minHeadroom);
    const node = await this.access.master();
    const startedAt = new Date();
    this.admin = await openClient(node, this.access.auth, this.access.timeoutMs);
    const admin = this.admin;
    const maxclients = Number(((await admin.call("CONFIG", "GET", "maxclients")) as string[])[1]);
    const before = await counters(admin);
    let limit = maxclients;
    if (maxclients - before.connected - headroom > HOLD_CAP) {
      limit = before.connected + HOLD_CAP + headroom;
      await this.access.journal.record({ kind: "config", node, name: "maxclients", original: String(maxclients) });
      this.lowered = { original: String(maxclients) };
      await admin.call("CONFIG", "SET", "maxclients", String(limit));
    }
    let now = before;
    // Other clients come and go while the connections open: a few rounds top them up to the target.
    for (let round = 0; round < 4 && now.connected < limit - headroom; round++) {
      let missing = limit - headroom - now.connected;
      while (missing > 0) {
        const batch = await Promise.all(Array.from({ length: Math.min(BATCH, missing) }, () => this.tryOne(node)));
        const accepted = batch.filter((c): c is Redis => c !== null);
        this.held.push(...accepted);
        missing -= batch.length;
        if (accepted.length < batch.length) break; // refused: the ceiling is reached
      }
      now = await counters(admin);
    }
    // Refused means Redis counted it among rejected_connections (maxclients), not a slow network.
    const rejectedBefore = (await counters(admin)).rejected;
    const check = await this.tryOne(node);
    check?.disconnect();
    // Counted from after the check: what the release reports is what others met.
    this.rejectedAtStart = (await counters(admin)).rejected;
    const refusesNew = check === null && this.rejectedAtStart > rejectedBefore;
    const ttlSeconds = fault.ttlSeconds ?? 0;
    return {
      node: addr(node),
      maxclients: limit,
      connectedBefore: before.connected,
      opened: this.held.length,
      connectedAfter: now.connected,
      refusesNew,
      layerConnectionsDropped: 0,
      fault: {
        id: `connections-${this.access.journal.data.runId}`,
        kind: "connections-exhaust",
        target: addr(node),
        params: { headroom, ...(this.lowered ? { maxclientsLoweredFrom: Number(this.lowered.original) } : {}) },
        ttlSeconds,
        startedAt: startedAt.toISOString(),
        expiresAt: new Date(startedAt.getTime() + ttlSeconds * 1000).toISOString(),
      },
    };
  }

  /** The undo: maxclients back first (through the admin connection), then every held connection closed. Safe to call twice. */
  async releaseConnections(): Promise<ConnectionsReleased> {
    const admin = this.admin;
    const released = this.held.length;
    let refused: number | null = null;
    try {
      if (admin) refused = (await counters(admin)).rejected - this.rejectedAtStart;
      if (admin && this.lowered) await admin.call("CONFIG", "SET", "maxclients", this.lowered.original);
      this.lowered = null;
    } finally {
      for (const c of this.held.splice(0)) c.disconnect();
      admin?.disconnect();
      this.admin = null;
    }
    return { released, refusedWhileHeld: admin ? refused : null };
  }
}
