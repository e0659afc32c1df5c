import "server-only";
/**
 * The layers' Redis address, checked for what matters to them: a replica answers PING too, so
 * after a failover layers pinned to the old master's address would look "reachable" while every
 * write fails with READONLY. ROLE says which it is. A console user without ROLE falls back to
 * PING and says that a replica cannot be told apart.
 */
import type Redis from "ioredis";
import { describeClientError } from "../redis/client";
import { deniedCommand, noPermissionSentence } from "../redis/connection-error";
import type { LayerAddressView } from "../snapshot/types";

export async function checkLayerAddress(client: Redis, timeoutMs: number, user: string | undefined): Promise<LayerAddressView> {
  try {
    const role = (await client.call("ROLE")) as unknown[];
    const name = String(role?.[0] ?? "");
    if (name === "master") return { state: "master", detail: "ROLE through the layers' Redis address: master (writable)" };
    if (name === "slave" || name === "replica") {
      const upstream = role[1] && role[2] ? ` of ${String(role[1])}:${String(role[2])}` : "";
      return { state: "replica", detail: `the layers' Redis address points to a replica${upstream}: writes fail with READONLY` };
    }
    return { state: "master", detail: `ROLE through the layers' Redis address: ${name}` };
  } catch (err) {
    const denied = deniedCommand(err instanceof Error ? err.message : "");
    if (!denied) return { state: "unreachable", detail: describeClientError(client, err, timeoutMs).sentence };
    try {
      await client.ping();
      return {
        state: "unverified",
        detail: `${noPermissionSentence(user, denied, "the layers' address is checked with PING only")} (a replica would look reachable)`,
      };
    } catch (pingErr) {
      return { state: "unreachable", detail: describeClientError(client, pingErr, timeoutMs).sentence };
    }
  }
}
