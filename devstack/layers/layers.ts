/** Starts the four layer stand-ins, each on its port from the layout, each talking to Redis through the proxy. */
import type { LayerId } from "../../lib/contract/failure-contract";
import { portOf, type StackSettings } from "../settings";
import { cpApi } from "./cp-api";
import { l1Edge } from "./l1-edge";
import { l2Ai } from "./l2-ai";
import { l3Agent } from "./l3-agent";
import { LayerServer, type LayerDefinition } from "./layer-server";
import type { RedisAuth } from "../redis-auth";

/** Starts L1, L2, L3 and CP; on a failure the ones already listening are closed again. */
export async function startLayers(settings: StackSettings, auth: RedisAuth, proxyPort: number, log: (m: string) => void): Promise<LayerServer[]> {
  const definitions: Record<LayerId, () => LayerDefinition> = {
    L1: () => l1Edge(proxyPort, auth, settings.layerClient),
    L2: () => l2Ai(proxyPort, auth, settings.llmLatencyMs, settings.layerClient),
    L3: () => l3Agent(proxyPort, auth, settings.layerClient),
    CP: () => cpApi(proxyPort, auth, settings.layerClient),
  };
  const started: LayerServer[] = [];
  try {
    for (const [id, define] of Object.entries(definitions) as [LayerId, () => LayerDefinition][]) {
      const layer = new LayerServer(define(), portOf(settings, id), log);
      started.push(layer);
      await layer.listen();
    }
  } catch (err) {
    await Promise.all(started.map((l) => l.close()));
    throw err;
  }
  return started;
}
