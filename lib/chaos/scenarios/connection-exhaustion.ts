import "server-only";
/**
 * connection-exhaustion (Steadybit's Redis attack): the target holds connections on the master
 * until maxclients minus a headroom are in use, so Redis refuses every new one; each layer is
 * held to its contract meanwhile, then the connections are released and each layer's recovery
 * is timed. Written once against the `exhaust-connections` capability, for every target that has it.
 */
import { z } from "zod";
import { LAYER_IDS, type LayerId } from "../../contract/failure-contract";
import { agreement, agreementLine, keepsContractUnderPartialFault } from "../../contract/verdict-rules";
import type { Snapshot } from "../../snapshot/types";
import type { CapabilityScenario } from "../capabilities";
import { formatSeconds } from "../format";
import { paramsInfo } from "../param-info";
import { CLOSING_STEPS, PREFLIGHT_STEP, secondsBetween } from "../scenario";
import { holdSeconds } from "./hold-params";
import { recoveryBracket, typicalStatuses } from "./snapshot-facts";

const Params = z.strictObject({
  headroom: z
    .number({ message: "headroom must be a number of connections" })
    .int("headroom must be a whole number")
    .min(0, "headroom must be at least 0")
    .max(50, "headroom must be at most 50: more leaves room for the layers' new connections, and nothing is refused")
    .default(0)
    .meta({ help: "client slots left free below maxclients (0: Redis refuses every new connection)" }),
  layerConnections: z.enum(["keep", "drop"], { message: 'layerConnections must be "keep" or "drop"' }).default("keep").meta({
    help: "keep: the layers' open connections go on (Steadybit's attack); drop: the fault proxy closes them once Redis is full, so every layer must reconnect",
  }),
  durationSeconds: holdSeconds("how long the connections are held", 15),
});
type ExhaustionParams = z.infer<typeof Params>;

/** How long the layers get to be ok again once the connections are free; a layer still failing then refutes the claim. */
const RECOVERY_WAIT_MS = 30_000;

const EXPECT = (id: LayerId) => `${id} served (ok) or failing by its contract while new connections are refused, and ok again once they are free`;

export const connectionExhaustion: CapabilityScenario<ExhaustionParams, "exhaust-connections"> = {
  needs: ["exhaust-connections"],
  info: {
    id: "connection-exhaustion",
    title: "Connection exhaustion",
    description:
      "Connections held on the master up to maxclients minus a headroom, so Redis refuses new ones. Layers on per-request connections (APISIX) meet the refusal; one multiplexed connection (redis-rs) may not. Each layer is held to its contract, then its recovery is timed.",
    claims: ["connections-exhausted"],
    params: paramsInfo(Params),
    steps: [
      PREFLIGHT_STEP,
      "exhaust the master's connections",
      "hold while Redis refuses new connections",
      "release the connections",
      "measure recovery",
      ...CLOSING_STEPS,
    ],
  },
  params: Params,
  async run(ctx) {
    const { headroom, durationSeconds, layerConnections } = ctx.params;
    const held = await ctx.step(
      "exhaust the master's connections",
      // The hold, the release and a 30 s margin: a console that dies mid-run leaves Redis full no longer than that.
      () =>
        ctx.control["exhaust-connections"].exhaustConnections({
          headroom,
          ttlSeconds: durationSeconds + 30,
          dropLayerConnections: layerConnections === "drop",
        }),
      (h) =>
        `${h.opened} connections held on ${h.node}: ${h.connectedAfter} of maxclients ${h.maxclients} in use (${h.connectedBefore} before); ` +
        `a new connection ${h.refusesNew ? "is refused" : "is still served"}${h.layerConnectionsDropped ? `; ${h.layerConnectionsDropped} layer connections dropped at the proxy` : ""}`,
    );
    ctx.metric("maxclients", held.maxclients);
    ctx.metric("connections_held", held.opened);
    ctx.metric("layer_connections_dropped", held.layerConnectionsDropped);

    const during = await ctx.step(
      "hold while Redis refuses new connections",
      () => ctx.watch(durationSeconds * 1000),
      (h) => `${h.length} snapshots: ${typicalStatuses(h)}`,
    );
    const released = await ctx.step(
      "release the connections",
      async () => ({ ...(await ctx.control["exhaust-connections"].releaseConnections()), at: Date.now() }),
      (r) => `${r.released} connections closed; Redis refused ${r.refusedWhileHeld ?? "an unknown number of"} other connections meanwhile`,
    );
    ctx.metric("connections_refused", released.refusedWhileHeld);

    const after: Snapshot[] = [];
    await ctx.step("measure recovery", async () => {
      await ctx.waitForSnapshot((s) => (after.push(s), s.layers.every((l) => l.status === "ok")), RECOVERY_WAIT_MS);
      return "";
    });

    for (const id of LAYER_IDS) judgeLayer(id);

    function judgeLayer(id: LayerId): void {
      const expect = EXPECT(id);
      const statuses = during.flatMap((s) => s.layers.filter((l) => l.id === id).map((l) => l.status));
      const affected = statuses.some((st) => st !== "ok");
      const recovery = recoveryBracket(after, id);
      const recoverySecs = recovery.firstOk === null ? null : secondsBetween(released.at, recovery.firstOk);
      ctx.metric(`affected_${id}`, affected ? "yes" : "no");
      ctx.metric(`recovery_${id}_s`, affected ? recoverySecs : null);
      if (!ctx.hasLayer(id))
        return ctx.check({
          claim: "connections-exhausted",
          layer: id,
          expect,
          observed: "layer not watched",
          notExercised: `${id} is not in the console's configuration`,
        });
      // Redis still took new connections (headroom, or clients left): the layers never met a full Redis.
      if (!held.refusesNew)
        return ctx.check({
          claim: "connections-exhausted",
          layer: id,
          expect,
          observed: `a new connection was still served with ${held.connectedAfter} of maxclients ${held.maxclients} in use`,
          notExercised: "Redis did not refuse new connections, so nothing was tested: lower the headroom",
        });
      const a = agreement(statuses.map((st) => keepsContractUnderPartialFault(id, st)));
      if (a.held === null)
        return ctx.check({
          claim: "connections-exhausted",
          layer: id,
          expect,
          observed: "no sample during the hold",
          notExercised: "no snapshot was pushed during the hold",
        });
      const how = affected
        ? `${typicalStatuses(during)
            .split(", ")
            .find((t) => t.startsWith(`${id} `))} during the hold`
        : `ok throughout (${layerConnections === "drop" ? "reconnected, or answered without Redis" : "served by connections it opened before"})`;
      const back = affected
        ? `; ${recoverySecs === null ? `not ok within ${RECOVERY_WAIT_MS / 1000} s of the release` : `ok ${formatSeconds(recoverySecs)} after the release`}`
        : "";
      ctx.check({
        claim: "connections-exhausted",
        layer: id,
        expect,
        observed: `${how} (${agreementLine(a)})${back}`,
        ok: a.held === true && (!affected || recoverySecs !== null),
      });
    }
  },
};
