/**
 * Says what is wrong with a connection in a sentence an SRE can act on, naming the config
 * field to check: TLS trust, expiry and host name, TLS against a plain port and back, a wrong
 * password, a missing ACL permission. Pure: takes the error ioredis gave (and what the
 * connection knew) and returns the sentence; the fixtures in the test are real ioredis 6 +
 * Redis 7.0.15 errors.
 */

export type ConnectionProblem =
  | "timeout"
  | "connect-timeout"
  | "refused"
  | "closed"
  | "dns"
  | "tls-untrusted"
  | "tls-expired"
  | "tls-hostname"
  | "tls-handshake"
  | "tls-required"
  | "not-tls"
  | "wrong-password"
  | "no-password"
  | "no-permission"
  | "disabled-command"
  | "other";

/** Problems of configuration (credentials, certificates, ACL), not of the server's health: retrying will not fix them. */
export const CONFIG_PROBLEMS: ReadonlySet<ConnectionProblem> = new Set([
  "tls-untrusted",
  "tls-expired",
  "tls-hostname",
  "tls-handshake",
  "tls-required",
  "not-tls",
  "wrong-password",
  "no-password",
  "no-permission",
]);

export interface ErrorContext {
  timeoutMs: number;
  /** The connection is configured with TLS. */
  tls: boolean;
  /** "redis.tls" or "redis.sentinelTls". */
  tlsField: string;
  /** "redis.password" or "redis.sentinelPassword". */
  passwordField: string;
  /** The ACL user the console connects as; undefined is the default user. */
  user?: string;
  /** The TCP connection was established before the error (tells "a port that does not speak TLS" from "no route"). */
  tcpConnected?: boolean;
  /**
   * This client has been ready before with the same settings: a reset is then the server or a
   * proxy in between dropping it (a crash, a fault proxy's cut, a load balancer), not TLS or
   * credentials set wrong. Without it, a reset read as "a TLS port?" sends an SRE to the config.
   */
  answeredBefore?: boolean;
}

export interface DescribedError {
  problem: ConnectionProblem;
  sentence: string;
}

interface ErrorLike {
  message?: string;
  code?: string;
}

const UNTRUSTED = new Set([
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
]);

/** `NOPERM this user has no permissions to run the 'config|get' command` → "CONFIG GET". */
export function deniedCommand(message: string): string | null {
  const m = /NOPERM .*?'([^']+)' command/i.exec(message);
  return m ? m[1].toUpperCase().replace("|", " ") : null;
}

/** "ACL user console may not run CONFIG GET: the config audit is off". */
export function noPermissionSentence(user: string | undefined, command: string, consequence: string): string {
  return `ACL user ${user ?? "default"} may not run ${command}: ${consequence}`;
}

function usernameField(passwordField: string): string {
  return passwordField.replace(/[Pp]assword$/, (p) => (p[0] === "P" ? "Username" : "username"));
}

export function describeConnectionError(err: unknown, ctx: ErrorContext): DescribedError {
  const e = (typeof err === "object" && err !== null ? err : { message: String(err) }) as ErrorLike;
  const msg = (e.message ?? String(err)).replace(/\s+/g, " ");
  const code = e.code ?? /\b(E[A-Z]{4,}|ERR_[A-Z_]+)\b/.exec(msg)?.[1];
  const t = ctx.timeoutMs;

  if (code && UNTRUSTED.has(code)) return { problem: "tls-untrusted", sentence: `TLS: certificate not trusted (check ${ctx.tlsField}.ca)` };
  if (code === "CERT_HAS_EXPIRED") return { problem: "tls-expired", sentence: "TLS: the server's certificate has expired (renew it on the server)" };
  if (code === "CERT_NOT_YET_VALID")
    return { problem: "tls-expired", sentence: "TLS: the server's certificate is not valid yet (check the clocks of the console and the server)" };
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    const host = /Host: ([^ ]+?)\.? is not in the cert's altnames: (.*)$/.exec(msg);
    const detail = host ? `: ${host[1]} is not among ${host[2]}` : "";
    return {
      problem: "tls-hostname",
      sentence: `TLS: the certificate is not for this host name${detail} (set ${ctx.tlsField}.servername to a name it carries)`,
    };
  }
  if (/^WRONGPASS/.test(msg)) {
    const who = ctx.user ? `ACL user ${ctx.user}` : "the default user (no username set)";
    return {
      problem: "wrong-password",
      sentence: `authentication failed as ${who}: wrong password, or the user is disabled (check ${ctx.passwordField}${ctx.user ? "" : ` and ${usernameField(ctx.passwordField)}`})`,
    };
  }
  if (/^NOAUTH/.test(msg)) return { problem: "no-password", sentence: `the server requires a password and the console sent none (set ${ctx.passwordField})` };
  if (/AUTH.*called without any password configured|no password is set/i.test(msg))
    return { problem: "wrong-password", sentence: `a password was sent but the server has none for this user (check ${ctx.passwordField})` };
  if (/^NOPERM/.test(msg)) {
    const cmd = deniedCommand(msg) ?? "a command it needs";
    return { problem: "no-permission", sentence: noPermissionSentence(ctx.user, cmd, "the node cannot be watched (see the ACL line in docs/connecting.md)") };
  }
  if (code === "ECONNRESET" && ctx.answeredBefore)
    return { problem: "closed", sentence: "the connection was reset: the server or a proxy in between dropped it (these settings worked before)" };
  if (code === "ECONNRESET" && !ctx.tls)
    return { problem: "tls-required", sentence: `the server reset the connection: is this a TLS port? (set ${ctx.tlsField})` };
  if (code === "ECONNRESET" || /socket hang up|Client network socket disconnected before secure TLS connection/i.test(msg)) {
    return {
      problem: "tls-handshake",
      sentence: `TLS handshake failed: the server closed the connection (a client certificate required? check ${ctx.tlsField}.cert and .key)`,
    };
  }
  if (ctx.tls && (code === "ETIMEDOUT" || /connect ETIMEDOUT/.test(msg)) && ctx.tcpConnected) {
    return {
      problem: "not-tls",
      sentence: `TLS: the port accepted the connection but no TLS handshake came back within ${t} ms: a plain (non-TLS) port? (check the port, or remove ${ctx.tlsField})`,
    };
  }
  if (
    (code && /^ERR_SSL_|^ERR_TLS_/.test(code)) ||
    /wrong version number|ssl3_get_record|packet length too long|tlsv1 alert|sslv3 alert|SSL routines/i.test(msg)
  ) {
    return { problem: "tls-handshake", sentence: `TLS handshake failed: ${msg.slice(0, 160)} (check ${ctx.tlsField})` };
  }
  if (/Command timed out/i.test(msg)) return { problem: "timeout", sentence: `no answer within ${t} ms (frozen, overloaded or network blackhole)` };
  if (code === "ECONNREFUSED") return { problem: "refused", sentence: "connection refused (process down)" };
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { problem: "dns", sentence: "host name does not resolve" };
  if (code === "ETIMEDOUT" || /connect ETIMEDOUT/i.test(msg)) return { problem: "connect-timeout", sentence: `connect timed out after ${t} ms` };
  if (/Stream isn't writeable|Connection is closed|enableOfflineQueue/i.test(msg)) return { problem: "closed", sentence: "not connected (down or restarting)" };
  if (/unknown command|ERR unknown/i.test(msg)) return { problem: "disabled-command", sentence: "command disabled or renamed on this server" };
  return { problem: "other", sentence: msg.slice(0, 200) };
}

/**
 * When none of `items` is up and each is refused for a reason of configuration, the sentence of
 * the first (they usually share it): the console is blind by its own config, not by an outage.
 */
export function configBlindness(items: { up: boolean; problem?: ConnectionProblem; error?: string }[]): string | null {
  if (items.length === 0 || items.some((x) => x.up || !x.problem || !CONFIG_PROBLEMS.has(x.problem))) return null;
  return items[0].error ?? null;
}
