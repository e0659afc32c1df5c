/** Starts the four layer stand-ins, each on its port, each with its way to Redis (the proxy on the Sentinel sandbox, the nodes on a cluster). */
import { LAYER_IDS, type LayerId } from "../../lib/contract/failure-contract";
import { portOf, type StackSettings } from "../settings";
import { cpApi } from "./cp-api";
import { l1Edge } from "./l1-edge";
import { l2Ai } from "./l2-ai";
import { l3Agent } from "./l3-agent";
import { LayerServer, type LayerDefinition } from "./layer-server";
import { sentinelAccess, type RedisAccess } from "./redis-access";
import type { RedisAuth } from "../redis-auth";

/** The layers' definitions over their accesses (one per layer, created when the layer is). */
export function layerDefinitions(access: (id: LayerId) => RedisAccess, llmLatencyMs: number): Record<LayerId, () => LayerDefinition> {
  return {
    L1: () => l1Edge(access("L1")),
    L2: () => l2Ai(access("L2"), llmLatencyMs),
    L3: () => l3Agent(access("L3")),
    CP: () => cpApi(access("CP")),
  };
}

/** Listens L1, L2, L3 and CP in order; on a failure the ones already listening are closed again. */
export async function listenLayers(
  definitions: Record<LayerId, () => LayerDefinition>,
  port: (id: LayerId) => number,
  log: (m: string) => void,
): Promise<LayerServer[]> {
  const started: LayerServer[] = [];
  try {
    for (const id of LAYER_IDS) {
      const layer = new LayerServer(definitions[id](), port(id), log);
      started.push(layer);
      await layer.listen();
    }
  } catch (err) {
    await Promise.all(started.map((l) => l.close()));
    throw err;
  }
  return started;
}

/** The Sentinel sandbox's layers, each talking to Redis through the proxy. */
export async function startLayers(settings: StackSettings, auth: RedisAuth, proxyPort: number, log: (m: string) => void): Promise<LayerServer[]> {
  const definitions = layerDefinitions((id) => sentinelAccess(id, proxyPort, auth, settings.layerClient), settings.llmLatencyMs);
  return listenLayers(definitions, (id) => portOf(settings, id), log);
}
