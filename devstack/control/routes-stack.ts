/** GET /status (secret-free view of the sandbox) and POST /reset. */
import type { ResetAnswer, StackStatus } from "../../lib/contract/control-answers";
import { HttpError } from "../http/http-kit";
import { publicStatus } from "../status";
import { messageOf } from "../timeouts";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";
import { resetStack } from "./reset";

/** The stack routes; `resetting` is shared with the server so it can refuse writes meanwhile. */
export function stackRoutes(deps: ControlDeps, resetting: { active: boolean }): ControlRoute[] {
  return [
    {
      method: "GET",
      pattern: "/status",
      handler: async () => {
        const master = deps.addressing.upstream();
        return ok({
          ...(await publicStatus(deps.ctx.state())),
          proxy: {
            host: "127.0.0.1",
            port: deps.proxyPort,
            upstream: master && `${master.host}:${master.port}`,
            connections: deps.proxy.connections,
            faults: deps.proxy.faultState(),
          },
          layers: deps.layers.map((l) => ({ id: l.id, url: l.url, hung: l.isHung, misbehaving: l.def.misbehave.mode })),
          faults: deps.faults.list(),
          workloads: { traffic: deps.traffic.running, integrity: deps.integrity.running },
          resetting: resetting.active,
        } satisfies StackStatus);
      },
    },
    {
      method: "POST",
      pattern: "/reset",
      handler: async () => {
        resetting.active = true;
        try {
          return ok({ healthy: true, ...(await resetStack(deps)) } satisfies ResetAnswer);
        } catch (err) {
          throw new HttpError(503, `reset did not reach a healthy stack: ${messageOf(err)}`);
        } finally {
          resetting.active = false;
        }
      },
    },
  ];
}
