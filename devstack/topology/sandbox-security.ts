/**
 * The TLS + ACL sandbox (`stack up --tls --acl`): certificates in the stack dir, one ACL user
 * per kind of client, and the login each devstack client uses. The default user is off; each
 * user gets only what its client sends:
 * - `devstack`: the control API and devstack itself (reset, the memory filler, the workloads,
 *   the health checks, replication, the sentinels' own connections): everything.
 * - `layers`: the layer stand-ins' data commands, no admin or dangerous command (INFO for the ready check).
 * - `console`: the console's read-only line (lib/contract/console-acl.ts), on the nodes and on the sentinels.
 * Sentinels require a password (`requirepass`, the devstack's) and log in to the nodes as `devstack`.
 */
import crypto from "node:crypto";
import path from "node:path";
import { consoleAclLine, consoleSentinelAclLine } from "../../lib/contract/console-acl";
import type { RedisAuth } from "../redis-auth";
import type { StackSettings } from "../settings";
import { makeCerts, type CertFiles } from "./tls-certs";

export interface SandboxUser {
  username: string;
  password: string;
}

export interface SandboxSecurity {
  tls: CertFiles | null;
  /** Null on a sandbox without --acl (the default user with the one password). */
  users: { devstack: SandboxUser; layers: SandboxUser; console: SandboxUser } | null;
  /** Logins of the devstack's own clients. */
  auth: { devstack: RedisAuth; layers: RedisAuth; sentinel: RedisAuth; console: RedisAuth };
}

const secret = () => crypto.randomBytes(24).toString("hex");

/** Makes the certificates (with --tls) and the users (with --acl); `password` is the devstack's own. */
export function prepareSecurity(settings: Pick<StackSettings, "dir" | "tls" | "acl">, password: string): SandboxSecurity {
  // Valid for a year: a demo sandbox may run for days; a new `stack up` makes new ones.
  const tls = settings.tls ? makeCerts(path.join(settings.dir, "tls"), { days: 365 }) : null;
  const users = settings.acl
    ? { devstack: { username: "devstack", password }, layers: { username: "layers", password: secret() }, console: { username: "console", password: secret() } }
    : null;
  const t = tls ? { tls: { ca: tls.ca } } : {};
  const login = (u: SandboxUser | undefined): RedisAuth => (u ? { username: u.username, password: u.password, ...t } : { password, ...t });
  return {
    tls,
    users,
    auth: {
      devstack: login(users?.devstack),
      layers: login(users?.layers),
      console: login(users?.console),
      // Sentinels of a plain sandbox have no password, as before; with ACL users they require the devstack's.
      sentinel: { ...(users ? { password } : {}), ...t },
    },
  };
}

/** Config lines for TLS only: no plain port, replication and sentinel links over TLS, no client certificates asked. */
export function tlsConfLines(tls: CertFiles, port: number): string[] {
  return [
    "port 0",
    `tls-port ${port}`,
    `tls-cert-file "${tls.cert}"`,
    `tls-key-file "${tls.key}"`,
    `tls-ca-cert-file "${tls.ca}"`,
    "tls-auth-clients no",
    "tls-replication yes",
  ];
}

/** redis.conf's ACL lines: the default user off, the three users, replication as `devstack`. */
export function nodeAclLines(users: NonNullable<SandboxSecurity["users"]>): string[] {
  const { devstack, layers, console } = users;
  return [
    "user default off",
    `user ${devstack.username} on >${devstack.password} ~* &* +@all`,
    `user ${layers.username} on >${layers.password} ~* &* +@all -@admin -@dangerous +info`,
    consoleAclLine(console.username, console.password),
    `masteruser ${devstack.username}`,
    `masterauth ${devstack.password}`,
  ];
}

/** sentinel.conf's auth lines: requirepass (also what sentinels send each other), the console's user, the login to the nodes. */
export function sentinelAclLines(users: NonNullable<SandboxSecurity["users"]>, masterName: string): string[] {
  const { devstack, console } = users;
  return [
    `requirepass ${devstack.password}`,
    `sentinel sentinel-pass ${devstack.password}`,
    consoleSentinelAclLine(console.username, console.password),
    `sentinel auth-user ${masterName} ${devstack.username}`,
    `sentinel auth-pass ${masterName} ${devstack.password}`,
  ];
}
