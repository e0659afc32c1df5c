import { describe, expect, it } from "vitest";
import { deniedCommand, describeConnectionError, type ErrorContext } from "./connection-error";

/** Errors as ioredis 6 emits them against Debian's redis-server 7.0.15 (captured from real runs, see tls-target.ts). */
const captured = {
  selfSignedInChain: Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }),
  altname: Object.assign(
    new Error("Hostname/IP does not match certificate's altnames: Host: redis.wrong. is not in the cert's altnames: IP Address:127.0.0.1, DNS:localhost"),
    { code: "ERR_TLS_CERT_ALTNAME_INVALID" },
  ),
  expired: Object.assign(new Error("certificate has expired"), { code: "CERT_HAS_EXPIRED" }),
  reset: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }),
  connectTimeout: Object.assign(new Error("connect ETIMEDOUT"), { code: "ETIMEDOUT" }),
  wrongpass: Object.assign(new Error("WRONGPASS invalid username-password pair or user is disabled."), { name: "ReplyError" }),
  noauth: new Error(
    "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time",
  ),
  nopermConfig: new Error("NOPERM this user has no permissions to run the 'config|get' command"),
  nopermInfo: new Error("NOPERM this user has no permissions to run the 'info' command"),
  refused: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:17583"), { code: "ECONNREFUSED" }),
  closed: new Error("Connection is closed."),
  timeout: new Error("Command timed out"),
};

const node: ErrorContext = { timeoutMs: 500, tls: true, tlsField: "redis.tls", passwordField: "redis.password", user: "console" };
const sentinel: ErrorContext = { ...node, tlsField: "redis.sentinelTls", passwordField: "redis.sentinelPassword", user: undefined };

describe("describeConnectionError", () => {
  it("an untrusted certificate names the CA field of the right block", () => {
    expect(describeConnectionError(captured.selfSignedInChain, node)).toEqual({
      problem: "tls-untrusted",
      sentence: "TLS: certificate not trusted (check redis.tls.ca)",
    });
    expect(describeConnectionError(captured.selfSignedInChain, sentinel).sentence).toBe("TLS: certificate not trusted (check redis.sentinelTls.ca)");
  });

  it("expired and host-name mismatch are their own sentences", () => {
    expect(describeConnectionError(captured.expired, node).problem).toBe("tls-expired");
    const d = describeConnectionError(captured.altname, node);
    expect(d.problem).toBe("tls-hostname");
    expect(d.sentence).toBe(
      "TLS: the certificate is not for this host name: redis.wrong is not among IP Address:127.0.0.1, DNS:localhost (set redis.tls.servername to a name it carries)",
    );
  });

  it("a plain connection to a TLS port (the server resets it) says to set TLS", () => {
    expect(describeConnectionError(captured.reset, { ...node, tls: false })).toEqual({
      problem: "tls-required",
      sentence: "the server reset the connection: is this a TLS port? (set redis.tls)",
    });
  });

  it("a reset on a connection that has answered before is a drop (a crash, a proxy's cut), not a TLS setting", () => {
    for (const tls of [false, true])
      expect(describeConnectionError(captured.reset, { ...node, tls, answeredBefore: true })).toEqual({
        problem: "closed",
        sentence: "the connection was reset: the server or a proxy in between dropped it (these settings worked before)",
      });
  });

  it("TLS to a plain port: connected, then no handshake; without a TCP connection it is a plain connect timeout", () => {
    expect(describeConnectionError(captured.connectTimeout, { ...node, tcpConnected: true }).problem).toBe("not-tls");
    expect(describeConnectionError(captured.connectTimeout, { ...node, tcpConnected: false })).toEqual({
      problem: "connect-timeout",
      sentence: "connect timed out after 500 ms",
    });
  });

  it("WRONGPASS names the user and the password field; without a user it points at the username too", () => {
    expect(describeConnectionError(captured.wrongpass, node).sentence).toBe(
      "authentication failed as ACL user console: wrong password, or the user is disabled (check redis.password)",
    );
    expect(describeConnectionError(captured.wrongpass, sentinel).sentence).toBe(
      "authentication failed as the default user (no username set): wrong password, or the user is disabled (check redis.sentinelPassword and redis.sentinelUsername)",
    );
    expect(describeConnectionError(captured.noauth, sentinel)).toEqual({
      problem: "no-password",
      sentence: "the server requires a password and the console sent none (set redis.sentinelPassword)",
    });
  });

  it("NOPERM says which user and which command", () => {
    expect(deniedCommand(captured.nopermConfig.message)).toBe("CONFIG GET");
    expect(describeConnectionError(captured.nopermInfo, node)).toEqual({
      problem: "no-permission",
      sentence: "ACL user console may not run INFO: the node cannot be watched (see the ACL line in docs/connecting.md)",
    });
  });

  it("keeps the outage sentences", () => {
    expect(describeConnectionError(captured.refused, node).sentence).toBe("connection refused (process down)");
    expect(describeConnectionError(captured.timeout, node).sentence).toBe("no answer within 500 ms (frozen, overloaded or network blackhole)");
    expect(describeConnectionError(captured.closed, node).problem).toBe("closed");
  });
});
