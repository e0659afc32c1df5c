/** Workload routes: steady traffic against the layers, and the integrity writer. */
import { DEFAULT_RPS, EmptyBody, TrafficBody } from "../../lib/contract/control-requests";
import { validate } from "../http/http-kit";
import { ok, type ControlDeps, type ControlRoute } from "./control-deps";

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
        validate(EmptyBody, body);
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
        validate(EmptyBody, body);
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
