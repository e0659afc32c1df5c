/** Connection exhaustion on the master: held by the supervisor under a TTL, released by DELETE, the TTL, /reset or shutdown. */
import type { ConnectionsReleased, ExhaustAnswer } from "../../lib/contract/control-answers";
import { ExhaustBody } from "../../lib/contract/control-requests";
import { HttpError, validate } from "../http/http-kit";
import { messageOf } from "../timeouts";
import { exhaustConnections, type HeldConnections } from "./connection-hog";
import { effectiveTtl } from "./fault-book";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";

/** POST /redis/connections/exhaust and DELETE /redis/connections. */
export function connectionRoutes(deps: ControlDeps): ControlRoute[] {
  const { faults, ctx } = deps;
  let held: { node: string; connections: HeldConnections } | null = null;
  let lastRelease: ConnectionsReleased | null = null;
  const release = async (): Promise<ConnectionsReleased> => {
    const h = held;
    held = null;
    lastRelease = h ? await h.connections.release() : { released: 0, refusedWhileHeld: null };
    return lastRelease;
  };
  return [
    {
      method: "POST",
      pattern: "/redis/connections/exhaust",
      handler: async (_p, body) => {
        const { headroom, dropLayerConnections, ttlSeconds } = validate(ExhaustBody, body);
        const master = deps.watch.current;
        if (!master) throw new HttpError(409, "no master is known to the sentinels right now");
        if (held) throw new HttpError(409, `connections are already held on ${held.node}: DELETE /redis/connections first`);
        const node = ctx.topology.nodes.find((n) => n.port === master.port)?.name ?? `127.0.0.1:${master.port}`;
        // Dropping the layers' connections frees their slots: the proxy refuses them while the slots are taken, so each reconnects into a full Redis.
        const cutHere = dropLayerConnections && deps.proxy.faultState().cut === null;
        const layerConnectionsDropped = dropLayerConnections ? deps.proxy.connections : 0;
        if (cutHere) deps.proxy.cut("refuse");
        else if (dropLayerConnections) deps.proxy.dropAll();
        const connections = await exhaustConnections(master.port, ctx.auth.devstack, headroom)
          .catch((err: unknown) => {
            throw err instanceof HttpError ? err : new HttpError(409, `could not hold connections on ${node}: ${messageOf(err)}`);
          })
          .finally(() => cutHere && deps.proxy.uncut());
        held = { node, connections };
        const { maxclients, connectedBefore, connectedAfter, opened, refusesNew } = connections;
        const fault = faults.add("connections-exhaust", node, { headroom, opened, maxclients, dropLayerConnections }, effectiveTtl(ttlSeconds), async () => {
          await release();
        });
        return ok({ node, maxclients, connectedBefore, connectedAfter, opened, refusesNew, layerConnectionsDropped, fault } satisfies ExhaustAnswer);
      },
    },
    {
      method: "DELETE",
      pattern: "/redis/connections",
      handler: async () => {
        const node = held?.node;
        // The fault book's undo releases them; without a book entry (already expired) the last release is the answer.
        if (node && (await faults.remove("connections-exhaust", node)) && lastRelease) return ok(lastRelease satisfies ConnectionsReleased);
        return ok((await release()) satisfies ConnectionsReleased);
      },
    },
  ];
}
