import "server-only";
/**
 * The console's one Redis client factory: every connection the console opens (node and
 * sentinel samplers, sentinel event subscribers, the layers'-address check, and through the
 * collector's clients the keyspace sampler, config auditor and chaos reads) is made here, with
 * the deployment's user, password and TLS. Clients are long-lived and reused tick after tick,
 * so TLS costs one handshake per connection, not per tick. Every option is deliberate: a dead or
 * frozen node must fail a command within the timeout, never queue it, never retry it behind the
 * tick's back.
 */
import Redis from "ioredis";
import type ConnectorConstructor from "ioredis/built/connectors/ConnectorConstructor";
import * as StandaloneModule from "ioredis/built/connectors/StandaloneConnector";
import type { ConnectionAuth } from "./connection-auth";
import { PLAIN } from "./connection-auth";
import { describeConnectionError, type DescribedError, type ErrorContext } from "./connection-error";

export interface ClientOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** User, password, TLS; none of them when left out (the devstack's sentinels). */
  auth?: ConnectionAuth;
  /** Called when the connection drops, so the collector can look again at once. */
  onClose?: () => void;
  /** A pub/sub connection: its owner (re)subscribes by hand on every connect, so a failed subscribe is seen. */
  subscriber?: boolean;
}

interface ConnectionState {
  ctx: ErrorContext;
  /** Why the last connect failed (null once connected). */
  lastError: unknown;
  tcpConnected: boolean;
  /** The client has been ready once with these settings. */
  answeredBefore: boolean;
}

const states = new WeakMap<Redis, ConnectionState>();

type StandaloneClass = typeof StandaloneModule.default;
// Bundlers (Next, vitest) unwrap a CommonJS module's `exports.default`; Node's own ESM loader
// (the chaos CLI under tsx) hands over the whole `exports` object as the default instead.
const StandaloneConnector: StandaloneClass = (StandaloneModule.default as unknown as { default?: StandaloneClass }).default ?? StandaloneModule.default;

/** Knows whether the TCP connection came up before a TLS failure: "a plain port" is then told from "no route". */
function observedConnector(state: () => ConnectionState) {
  return class ObservedConnector extends StandaloneConnector {
    connect(emitter: Parameters<InstanceType<StandaloneClass>["connect"]>[0]) {
      state().tcpConnected = false;
      return super.connect(emitter).then((stream) => {
        stream.once("connect", () => (state().tcpConnected = true));
        return stream;
      });
    }
  };
}

export function createClient(opts: ClientOptions): Redis {
  const auth = opts.auth ?? PLAIN;
  const state: ConnectionState = {
    ctx: { timeoutMs: opts.timeoutMs, tls: !!auth.tls, tlsField: auth.tlsField, passwordField: auth.passwordField, user: auth.username },
    lastError: null,
    tcpConnected: false,
    answeredBefore: false,
  };
  const client = new Redis({
    host: opts.host,
    port: opts.port,
    username: auth.username,
    tls: auth.tls,
    Connector: observedConnector(() => state) as unknown as ConnectorConstructor,
    connectTimeout: opts.timeoutMs,
    commandTimeout: opts.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: !opts.subscriber,
    // No CLIENT SETINFO: one command fewer for the console's ACL user to be allowed.
    disableClientInfo: true,
    lazyConnect: true,
    // Keep trying, but never faster than twice a second (a subscriber once a second): viewers must not add load.
    retryStrategy: (times) => Math.min((opts.subscriber ? 250 : 100) * times, opts.subscriber ? 1000 : 500),
    reconnectOnError: () => false,
  });
  // The password is read on every connect (a rotated secret file takes effect on the next one),
  // and is not an enumerable field, so no dump of the client's options can show it.
  Object.defineProperty(client.options, "password", { get: () => auth.password(), enumerable: false, configurable: true });
  states.set(client, state);
  // Errors surface through the failed command of the tick; the event itself must not crash us.
  client.on("error", (err) => (state.lastError = err));
  client.on("ready", () => {
    state.lastError = null;
    state.answeredBefore = true;
  });
  if (opts.onClose) {
    // Only a drop of a working connection is news; failed reconnect attempts must not trigger looks.
    let wasReady = false;
    client.on("ready", () => (wasReady = true));
    client.on("close", () => {
      if (wasReady) {
        wasReady = false;
        opts.onClose!();
      }
    });
  }
  client.connect().catch(() => {
    /* the retry strategy keeps trying; the reason is kept for describeClientError */
  });
  return client;
}

/**
 * Why a command on `client` failed: when the command only says "not connected", the reason the
 * connection failed (an untrusted certificate, a wrong password) is the real answer.
 */
export function describeClientError(client: Redis, err: unknown, timeoutMs: number): DescribedError {
  const state = states.get(client);
  const ctx: ErrorContext = state
    ? { ...state.ctx, timeoutMs, tcpConnected: state.tcpConnected, answeredBefore: state.answeredBefore }
    : { ...contextOf(PLAIN, timeoutMs) };
  const direct = describeConnectionError(err, ctx);
  if (direct.problem === "closed" && state?.lastError && client.status !== "ready") {
    const cause = describeConnectionError(state.lastError, ctx);
    if (cause.problem !== "closed" && cause.problem !== "other") return cause;
  }
  return direct;
}

function contextOf(auth: ConnectionAuth, timeoutMs: number): ErrorContext {
  return { timeoutMs, tls: !!auth.tls, tlsField: auth.tlsField, passwordField: auth.passwordField, user: auth.username };
}

/** Turns an ioredis failure into a sentence an SRE can act on (no secrets inside). */
export function describeRedisError(err: unknown, timeoutMs: number, client?: Redis): string {
  return client ? describeClientError(client, err, timeoutMs).sentence : describeConnectionError(err, contextOf(PLAIN, timeoutMs)).sentence;
}
