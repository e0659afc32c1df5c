import "server-only";
/**
 * The console's Redis client factory. Every option is deliberate: a dead or frozen node must
 * fail a command within the timeout, never queue it, never retry it behind the tick's back.
 */
import Redis from "ioredis";

export interface ClientOptions {
  host: string;
  port: number;
  password?: string;
  timeoutMs: number;
  /** Called when the connection drops, so the collector can look again at once. */
  onClose?: () => void;
}

export function createClient(opts: ClientOptions): Redis {
  const client = new Redis({
    host: opts.host,
    port: opts.port,
    password: opts.password,
    connectTimeout: opts.timeoutMs,
    commandTimeout: opts.timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    autoResendUnfulfilledCommands: false,
    lazyConnect: false,
    // Keep trying, but never faster than twice a second: viewers must not add load.
    retryStrategy: (times) => Math.min(100 * times, 500),
    reconnectOnError: () => false,
  });
  // Errors surface through the failed command of the tick; the event itself must not crash us.
  client.on("error", () => {});
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
  return client;
}

/** Turns an ioredis failure into a sentence an SRE can act on (no addresses' secrets inside). */
export function describeRedisError(err: unknown, timeoutMs: number): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Command timed out/i.test(msg)) return `no answer within ${timeoutMs} ms (frozen, overloaded or network blackhole)`;
  if (/ECONNREFUSED/.test(msg)) return "connection refused (process down)";
  if (/Stream isn't writeable|Connection is closed|enableOfflineQueue/i.test(msg)) return "not connected (down or restarting)";
  if (/NOAUTH|WRONGPASS|invalid password/i.test(msg)) return "authentication failed (check the configured password source)";
  if (/ENOTFOUND|EAI_AGAIN/.test(msg)) return "host name does not resolve";
  if (/ETIMEDOUT|connect ETIMEDOUT/i.test(msg)) return `connect timed out after ${timeoutMs} ms`;
  if (/unknown command|ERR unknown/i.test(msg)) return "command disabled or renamed on this server";
  return msg.replace(/\s+/g, " ").slice(0, 200);
}
