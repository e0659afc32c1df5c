/**
 * POST/DELETE /layers/:id/misbehave: a layer breaks its failure contract on purpose, with a TTL
 * like every fault (so reset, expiry and shutdown undo it through the fault book).
 */
import { z } from "zod";
import { LAYER_IDS, type LayerId } from "../../lib/contract/failure-contract";
import { HttpError, validate } from "../http/http-kit";
import { MISBEHAVE_MODES } from "../layers/misbehave";
import type { LayerServer } from "../layers/layer-server";
import { effectiveTtl } from "./fault-book";
import { TtlSeconds } from "../../lib/contract/control-requests";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";

const modeList = LAYER_IDS.map((id) => `${id} "${MISBEHAVE_MODES[id]}"`).join(", ");
const MisbehaveBody = z.strictObject({ mode: z.string({ error: `mode is required: ${modeList}` }), ttlSeconds: TtlSeconds });

/** What the misbehave routes need: the layers and the fault book (the Sentinel and the cluster sandbox both give them). */
type LayerRouteDeps = Pick<ControlDeps, "layers" | "faults">;

function layerOf(deps: LayerRouteDeps, id: string): LayerServer {
  const layer = deps.layers.find((l) => l.id === id);
  if (!layer) throw new HttpError(404, `no layer "${id}"; layers are ${LAYER_IDS.join(", ")}`);
  return layer;
}

/** What a layer does now: for /layers/:id/misbehave answers. */
const view = (layer: LayerServer) => ({ layer: layer.id, misbehaving: layer.def.misbehave.mode });

export function layerRoutes(deps: LayerRouteDeps): ControlRoute[] {
  return [
    {
      method: "POST",
      pattern: "/layers/:id/misbehave",
      handler: async (params, body) => {
        const layer = layerOf(deps, params.id);
        const { mode, ttlSeconds } = validate(MisbehaveBody, body);
        const want = MISBEHAVE_MODES[layer.id as LayerId];
        if (mode !== want) throw new HttpError(400, `mode: ${layer.id} misbehaves only as "${want}" (${modeList})`);
        layer.def.misbehave.mode = want;
        const fault = deps.faults.add("layer-misbehave", layer.id, { mode: want }, effectiveTtl(ttlSeconds), async () => layer.behave());
        return ok({ ...view(layer), fault });
      },
    },
    {
      method: "DELETE",
      pattern: "/layers/:id/misbehave",
      handler: async (params) => {
        const layer = layerOf(deps, params.id);
        if (!(await deps.faults.remove("layer-misbehave", layer.id))) layer.behave();
        return ok(view(layer));
      },
    },
  ];
}
