import "server-only";
/**
 * One dedicated pub/sub connection per sentinel, listening to every event channel (`+*`, `-*`;
 * not `__sentinel__:hello`, which is chatter). Reconnects on its own; a PING now and then tells
 * a frozen sentinel (connection open, nothing said) from a quiet one.
 */
import type Redis from "ioredis";
import { createClient } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";

export type SentinelMessageHandler = (sentinel: string, channel: string, message: string, receivedAt: number) => void;

const PING_EVERY_MS = 5000;
const RESUBSCRIBE_AFTER_MS = 2000;

export class SentinelEventSubscriber {
  private client: Redis;
  private pinger: NodeJS.Timeout;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  /** Subscribed and answering. */
  live = false;

  constructor(
    readonly id: string,
    host: string,
    port: number,
    timeoutMs: number,
    onMessage: SentinelMessageHandler,
    private readonly onLiveChange: () => void = () => {},
    auth?: ConnectionAuth,
  ) {
    // Resubscribed by hand on every connect, so a failed PSUBSCRIBE is seen and retried; a down
    // sentinel is expected (`live` says so) and the factory's client reconnects on its own.
    this.client = createClient({ host, port, timeoutMs, auth, subscriber: true });
    this.client.on("ready", () => this.subscribe());
    this.client.on("close", () => this.setLive(false));
    this.client.on("pmessage", (_pattern: string, channel: string, message: string) => onMessage(this.id, channel, message, Date.now()));
    this.pinger = setInterval(() => void this.ping(), PING_EVERY_MS);
  }

  close(): void {
    this.closed = true;
    clearInterval(this.pinger);
    if (this.retry) clearTimeout(this.retry);
    this.client.disconnect();
  }

  private subscribe(): void {
    this.client.psubscribe("+*", "-*").then(
      () => this.setLive(true),
      () => {
        // Connected but not answering (frozen): try again later rather than spin.
        this.setLive(false);
        if (this.closed || this.retry) return;
        this.retry = setTimeout(() => {
          this.retry = null;
          if (!this.closed && this.client.status === "ready") this.subscribe();
        }, RESUBSCRIBE_AFTER_MS);
      },
    );
  }

  private async ping(): Promise<void> {
    if (this.client.status !== "ready") return this.setLive(false);
    try {
      await this.client.ping();
      // Answering again after a freeze: the subscription itself survived on the open connection.
      if (!this.live && !this.retry) this.subscribe();
    } catch {
      this.setLive(false);
    }
  }

  private setLive(live: boolean): void {
    if (this.live === live) return;
    this.live = live;
    this.onLiveChange();
  }
}
