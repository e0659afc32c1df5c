import "server-only";
/**
 * Per tick, on the collector's own sentinel connections: each sentinel's TILT state (INFO
 * sentinel) and its list of replicas (SENTINEL REPLICAS). A call still in flight is never doubled.
 */
import type Redis from "ioredis";
import { infoToMap, pairsToRecord } from "../redis/info";

export interface SentinelExtras {
  /** sentinel id → in TILT, or null when it did not answer. */
  tilt: Map<string, boolean | null>;
  /** SENTINEL REPLICAS from the first sentinel (config order) that answered; null when none did. */
  replicas: Record<string, string>[] | null;
}

export interface SentinelClient {
  id: string;
  redis: Redis;
}

const inFlight = new WeakSet<Redis>();

/** Asks every sentinel for its tilt state and replica list; every call bounded by the client's commandTimeout. */
export async function sampleSentinelExtras(sentinels: SentinelClient[], masterName: string): Promise<SentinelExtras> {
  const answers = await Promise.all(
    sentinels.map(async ({ id, redis }) => {
      if (inFlight.has(redis) || redis.status !== "ready") return { id, tilt: null, replicas: null };
      inFlight.add(redis);
      try {
        const [tilt, replicas] = await Promise.all([
          redis.info("sentinel").then(
            (text) => infoToMap(text).get("sentinel_tilt") === "1",
            () => null,
          ),
          redis.call("SENTINEL", "REPLICAS", masterName).then(
            (r) => (Array.isArray(r) ? r.map(pairsToRecord) : null),
            () => null,
          ),
        ]);
        return { id, tilt, replicas };
      } finally {
        inFlight.delete(redis);
      }
    }),
  );
  return {
    tilt: new Map(answers.map((a) => [a.id, a.tilt])),
    replicas: answers.find((a) => a.replicas !== null)?.replicas ?? null,
  };
}
