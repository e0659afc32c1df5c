import "server-only";
/** Chaos connections: through the one client factory, with the chaos credential, ready before use. */
import type Redis from "ioredis";
import type { ConnectionAuth } from "../../redis/connection-auth";
import { createClient, describeRedisError } from "../../redis/client";
import type { NodeAddress } from "../journal";

export const addr = (n: NodeAddress) => `${n.host}:${n.port}`;

/** A client once it is ready (the factory queues nothing offline), or an error naming the address and why. */
export async function openClient(node: NodeAddress, auth: ConnectionAuth, timeoutMs: number): Promise<Redis> {
  const client = createClient({ host: node.host, port: node.port, timeoutMs, auth });
  if (client.status === "ready") return client;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs * 4);
      // A wrong credential, an untrusted certificate or a full Redis (maxclients) does not get better by waiting: fail at once, with its own words.
      const fatal = (err: Error & { code?: string }) => {
        if (!/WRONGPASS|NOAUTH|NOPERM|certificate|ERR_TLS|self.signed|max number of clients/i.test(`${err.message} ${err.code ?? ""}`)) return;
        clearTimeout(timer);
        client.off("error", fatal);
        reject(err);
      };
      client.on("error", fatal);
      client.once("ready", () => {
        clearTimeout(timer);
        client.off("error", fatal);
        resolve();
      });
    });
    return client;
  } catch (err) {
    client.disconnect();
    throw new Error(`chaos connection to ${addr(node)}: ${describeRedisError(err, timeoutMs, client)}`);
  }
}

/** Runs fn with a fresh client and always closes it. */
export async function withClient<T>(node: NodeAddress, auth: ConnectionAuth, timeoutMs: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const client = await openClient(node, auth, timeoutMs);
  try {
    return await fn(client);
  } finally {
    client.disconnect();
  }
}
