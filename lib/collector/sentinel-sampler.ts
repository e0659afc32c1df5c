import "server-only";
/** Asks one Sentinel, each tick, what it believes about the master (SENTINEL MASTER, CKQUORUM). */
import type Redis from "ioredis";
import { createClient, describeClientError } from "../redis/client";
import type { ConnectionAuth } from "../redis/connection-auth";
import type { ConnectionProblem } from "../redis/connection-error";
import { pairsToRecord } from "../redis/info";
import type { SentinelView } from "../snapshot/types";

export class SentinelSampler {
  private client: Redis;
  private inFlight: Promise<SentinelView> | null = null;

  constructor(
    readonly id: string,
    readonly host: string,
    readonly port: number,
    private readonly masterName: string,
    private readonly timeoutMs: number,
    auth: ConnectionAuth,
  ) {
    this.client = createClient({ host, port, timeoutMs, auth });
  }

  get addr(): string {
    return `${this.host}:${this.port}`;
  }

  get redis(): Redis {
    return this.client;
  }

  private down(error: string, problem?: ConnectionProblem): SentinelView {
    return {
      id: this.id,
      addr: this.addr,
      up: false,
      error,
      ...(problem ? { problem } : {}),
      masterAddr: null,
      flags: [],
      configEpoch: null,
      otherSentinels: null,
      quorum: null,
      quorumOk: null,
      quorumMessage: null,
    };
  }

  sample(): Promise<SentinelView> {
    if (this.inFlight) return Promise.resolve(this.down(`no answer within ${this.timeoutMs} ms`, "timeout"));
    this.inFlight = (async (): Promise<SentinelView> => {
      try {
        const [master, quorum] = await Promise.all([
          this.client.call("SENTINEL", "MASTER", this.masterName),
          this.client.call("SENTINEL", "CKQUORUM", this.masterName).then(String, (e: Error) => `NOQUORUM ${e.message}`),
        ]);
        const m = pairsToRecord(master);
        return {
          id: this.id,
          addr: this.addr,
          up: true,
          masterAddr: m.ip && m.port ? `${m.ip}:${m.port}` : null,
          flags: (m.flags ?? "").split(",").filter(Boolean),
          configEpoch: m["config-epoch"] !== undefined ? Number(m["config-epoch"]) : null,
          otherSentinels: m["num-other-sentinels"] !== undefined ? Number(m["num-other-sentinels"]) : null,
          quorumOk: quorum.startsWith("OK"),
          quorumMessage: quorum.replace(/^ERR\s*/, ""),
          quorum: m.quorum !== undefined ? Number(m.quorum) : null,
        };
      } catch (err) {
        const d = describeClientError(this.client, err, this.timeoutMs);
        return this.down(d.sentence, d.problem);
      } finally {
        this.inFlight = null;
      }
    })();
    return this.inFlight;
  }

  close(): void {
    this.client.disconnect();
  }
}
