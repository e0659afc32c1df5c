/**
 * The layers' addressing mode per chaos run: POST /proxy/addressing {"mode","ttlSeconds"} pins
 * the layers' address to the node that is master now (or makes it follow again) until the TTL,
 * DELETE /proxy/addressing or /reset. Undoing it restores the sandbox's default mode.
 */
import type { AddressingAnswer, ActiveFault } from "../../lib/contract/control-answers";
import { AddressingBody } from "../../lib/contract/control-requests";
import { validate } from "../http/http-kit";
import { effectiveTtl } from "./fault-book";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";

/** Back to the default mode; connections are dropped when they now lead elsewhere (the "DNS fixed" moment). */
export function restoreAddressing(deps: ControlDeps): void {
  if (deps.addressing.restore()) {
    const dropped = deps.proxy.dropAll();
    deps.ctx.log(`proxy: addressing back to ${deps.addressing.mode}; dropped ${dropped} connections`);
  }
}

function answer(deps: ControlDeps, fault: ActiveFault | null): AddressingAnswer {
  const { addressing } = deps;
  return { mode: addressing.mode, defaultMode: addressing.defaultMode, pinnedTo: addressing.pinnedTo, fault };
}

export function addressingRoutes(deps: ControlDeps): ControlRoute[] {
  const { faults, addressing, proxy } = deps;
  const current = () => faults.list().find((f) => f.kind === "proxy-addressing") ?? null;
  return [
    { method: "GET", pattern: "/proxy/addressing", handler: async () => ok(answer(deps, current())) },
    {
      method: "POST",
      pattern: "/proxy/addressing",
      handler: async (_p, body) => {
        const { mode, ttlSeconds } = validate(AddressingBody, body);
        const before = addressing.upstream();
        addressing.set(mode);
        const after = addressing.upstream();
        // Following again after a failover: the pinned connections lead to the old node.
        if (before?.port !== after?.port) proxy.dropAll();
        const fault = faults.add("proxy-addressing", "proxy", { mode, pinnedTo: addressing.pinnedTo }, effectiveTtl(ttlSeconds), async () =>
          restoreAddressing(deps),
        );
        return ok(answer(deps, fault));
      },
    },
    {
      method: "DELETE",
      pattern: "/proxy/addressing",
      handler: async () => {
        if (!(await faults.remove("proxy-addressing", "proxy"))) restoreAddressing(deps);
        return ok(answer(deps, null));
      },
    },
  ];
}
