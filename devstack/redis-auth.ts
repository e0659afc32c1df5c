/**
 * How a devstack client logs in to a sandbox Redis or Sentinel: an ACL user (or the default
 * user), its password, and TLS with the sandbox's CA. Plain sandbox: `{password}` for the
 * nodes, `{}` for the sentinels, as before.
 */
import fs from "node:fs";
import type { ConnectionOptions } from "node:tls";

export interface RedisAuth {
  /** The ACL user; absent: the default user (`AUTH password`). */
  username?: string;
  password?: string;
  /** Present: TLS, trusting the CA in this PEM file. */
  tls?: { ca: string };
}

const caCache = new Map<string, Buffer>();

function readCa(file: string): Buffer {
  let pem = caCache.get(file);
  if (!pem) caCache.set(file, (pem = fs.readFileSync(file)));
  return pem;
}

/** The ioredis options for `auth` (spread into a client's options). */
export function redisAuthOptions(auth: RedisAuth): { username?: string; password?: string; tls?: ConnectionOptions } {
  return {
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
    // The server certificate names 127.0.0.1 (IP SAN): Node checks it against the host.
    ...(auth.tls ? { tls: { ca: [readCa(auth.tls.ca)] } } : {}),
  };
}
