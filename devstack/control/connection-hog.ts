/**
 * Connection exhaustion, after Steadybit's Redis attack: plain TCP connections held open on the
 * master until `connected_clients` reaches maxclients minus a headroom, so Redis refuses every
 * new connection ("max number of clients reached"). They live in the supervisor: its fault TTL
 * closes them when no console does, and they die with it. One authenticated connection, opened
 * first and counted among them, reads the counters (with no room left, no other could).
 */
import net from "node:net";
import type Redis from "ioredis";
import { infoFields } from "../../lib/contract/info-fields";
import { HttpError } from "../http/http-kit";
import type { RedisAuth } from "../redis-auth";
import { boundedClient } from "../redis-client";

const BATCH = 64;
const CONNECT_TIMEOUT_MS = 2000;
/** Other clients come and go while the connections open: a few rounds top them up to the target. */
const ROUNDS = 4;

export interface HeldConnections {
  maxclients: number;
  connectedBefore: number;
  connectedAfter: number;
  opened: number;
  /** A new connection tried once they were held was refused with Redis's maxclients error. */
  refusesNew: boolean;
  /** Closes every held connection; answers how many connections the master refused since they were all open. */
  release(): Promise<{ released: number; refusedWhileHeld: number | null }>;
}

/** Clients as maxclients counts them: connected_clients leaves the replicas out, Redis's limit does not. */
async function counters(admin: Redis): Promise<{ connected: number; rejected: number }> {
  const clients = infoFields(await admin.info("clients"));
  const replication = infoFields(await admin.info("replication"));
  const stats = infoFields(await admin.info("stats"));
  return { connected: Number(clients.connected_clients) + Number(replication.connected_slaves ?? 0), rejected: Number(stats.rejected_connections) };
}

/** One plain connection, resolved once accepted; null when Redis (or the OS) refused it. */
function openPlain(port: number): Promise<net.Socket | null> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const fail = () => {
      socket.destroy();
      resolve(null);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, fail);
    socket.once("error", fail);
    socket.once("connect", () => {
      socket.setTimeout(0);
      // Redis answers a connection past maxclients with an error and closes it: that one is not held.
      socket.on("data", () => socket.destroy());
      socket.on("error", () => socket.destroy());
      resolve(socket);
    });
  });
}

/** What Redis answers a new connection's PING: NOAUTH or PONG when it takes it, its maxclients error when it refuses it. */
function firstAnswer(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port }, () => socket.write("PING\r\n"));
    const done = (answer: string) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(CONNECT_TIMEOUT_MS, () => done("no answer"));
    socket.once("data", (d) => done(d.toString().split("\r\n")[0]));
    socket.once("error", (err) => done(err.message));
  });
}

/** Opens connections on the master at `port` until maxclients minus `headroom` are in use. */
export async function exhaustConnections(port: number, auth: RedisAuth, headroom: number): Promise<HeldConnections> {
  const admin = boundedClient({ port, auth, timeoutMs: CONNECT_TIMEOUT_MS });
  const held: net.Socket[] = [];
  const closeAll = () => {
    for (const s of held.splice(0)) s.destroy();
    admin.disconnect();
  };
  try {
    await admin.connect();
    const maxclients = Number(((await admin.call("CONFIG", "GET", "maxclients")) as string[])[1]);
    const before = await counters(admin);
    const target = maxclients - headroom;
    if (before.connected >= target)
      throw new HttpError(409, `the master already has ${before.connected} clients of maxclients ${maxclients}: nothing to exhaust with headroom ${headroom}`);
    let now = before;
    for (let round = 0; round < ROUNDS && now.connected < target; round++) {
      let missing = target - now.connected;
      while (missing > 0) {
        const batch = await Promise.all(Array.from({ length: Math.min(BATCH, missing) }, () => openPlain(port)));
        const accepted = batch.filter((s): s is net.Socket => s !== null);
        held.push(...accepted);
        missing -= batch.length;
        if (accepted.length < batch.length) break; // refused: the ceiling is reached
      }
      now = await counters(admin);
    }
    const live = () => held.filter((s) => !s.destroyed).length;
    const refusesNew = /max number of clients/i.test(await firstAnswer(port));
    // Counted from after the check above: what the release reports is what others met.
    const rejectedAtStart = (await counters(admin)).rejected;
    return {
      maxclients,
      connectedBefore: before.connected,
      connectedAfter: now.connected,
      opened: live(),
      refusesNew,
      async release() {
        const refused = await counters(admin).then(
          (c) => c.rejected - rejectedAtStart,
          () => null,
        );
        const released = live();
        closeAll();
        return { released, refusedWhileHeld: refused };
      },
    };
  } catch (err) {
    closeAll();
    throw err;
  }
}
