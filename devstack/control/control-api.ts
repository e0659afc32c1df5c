/** Assembles the control API: routes over the deps, the server, and undo-everything on shutdown. */
import type { StackService } from "../context";
import type { ControlDeps } from "./control-deps";
import { startControlServer } from "./control-server";
import { addressingRoutes } from "./routes-addressing";
import { connectionRoutes } from "./routes-connections";
import { faultRoutes } from "./routes-faults";
import { layerRoutes } from "./routes-layers";
import { nodeRoutes } from "./routes-nodes";
import { stackRoutes } from "./routes-stack";
import { workloadRoutes } from "./routes-workloads";

/** Replaces every secret in `text` so no answer or log line can carry one. */
export function redactor(secrets: string[]): (text: string) => string {
  const live = secrets.filter((s) => s.length >= 8);
  return (text) => live.reduce((t, s) => t.split(s).join("[redacted]"), text);
}

/** Starts the control API on `port`; stopping it undoes every fault. */
export async function startControlApi(deps: ControlDeps, port: number): Promise<StackService & { url: string }> {
  const resetting = { active: false };
  const { ctx } = deps;
  const redact = redactor([...ctx.secrets, ctx.controlToken]);
  const server = await startControlServer({
    port,
    token: ctx.controlToken,
    routes: [
      ...stackRoutes(deps, resetting),
      ...nodeRoutes(deps),
      ...faultRoutes(deps),
      ...connectionRoutes(deps),
      ...addressingRoutes(deps),
      ...workloadRoutes(deps),
      ...layerRoutes(deps),
    ],
    log: (m) => ctx.log(redact(m)),
    redact,
    busy: () => resetting.active,
  });
  return {
    name: "control",
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      server.close();
      deps.traffic.stop();
      await deps.integrity.stop();
      await deps.faults.clear("shutdown");
      deps.proxy.clearFaults();
    },
  };
}
