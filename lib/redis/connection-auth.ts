/** How to authenticate and encrypt towards one kind of server (the nodes, or the sentinels). */
import type { ConnectionOptions } from "node:tls";

export interface ConnectionAuth {
  /** The ACL user; undefined means `AUTH password` as the default user. */
  username?: string;
  /** The password now (a file source is re-read when the file changes); called on each connect. */
  password: () => string | undefined;
  /** Present means TLS. */
  tls?: ConnectionOptions;
  /** Config path of the TLS block, for error sentences: "redis.tls" or "redis.sentinelTls". */
  tlsField: string;
  /** Config path of the password, for error sentences: "redis.password" or "redis.sentinelPassword". */
  passwordField: string;
}

export interface DeploymentConnections {
  node: ConnectionAuth;
  sentinel: ConnectionAuth;
}

/** No user, no password, no TLS: the devstack's sentinels and any unprotected server. */
export const PLAIN: ConnectionAuth = { password: () => undefined, tlsField: "redis.tls", passwordField: "redis.password" };
