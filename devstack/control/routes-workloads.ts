/** Workload routes: steady traffic against the layers, and the integrity writer. */
import { z } from "zod";
import { validate } from "../http/http-kit";
import { DEFAULT_RPS } from "../workloads/traffic";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";

const TrafficBody = z.strictObject({
  rps: z.number({ error: "rps must be a number" }).positive("rps must be above 0").max(500, "rps must be at most 500: the sandbox is for modest load").optional(),
});
const Empty = z.strictObject({});

/** The workload routes. */
export function workloadRoutes(deps: ControlDeps): ControlRoute[] {
  const { traffic, integrity } = deps;
  return [
    {
      method: "POST",
      pattern: "/workloads/traffic/start",
      handler: async (_p, body) => {
        traffic.start(validate(TrafficBody, body).rps ?? DEFAULT_RPS);
        return ok(traffic.stats());
      },
    },
    {
      method: "POST",
      pattern: "/workloads/traffic/stop",
      handler: async (_p, body) => {
        validate(Empty, body);
        traffic.stop();
        return ok(traffic.stats());
      },
    },
    { method: "GET", pattern: "/workloads/traffic", handler: async () => ok(traffic.stats()) },
    {
      method: "POST",
      pattern: "/workloads/traffic/reset",
      handler: async () => {
        traffic.resetStats();
        return ok(traffic.stats());
      },
    },
    {
      method: "POST",
      pattern: "/workloads/integrity/start",
      handler: async (_p, body) => {
        validate(Empty, body);
        return ok(await integrity.start());
      },
    },
    {
      method: "POST",
      pattern: "/workloads/integrity/stop",
      handler: async () => {
        await integrity.stop();
        return ok(await integrity.report());
      },
    },
    { method: "GET", pattern: "/workloads/integrity", handler: async () => ok(await integrity.report()) },
  ];
}
