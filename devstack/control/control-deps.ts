/** What the control API's routes act on, and the shapes they share. */
import { z } from "zod";
import type { StackContext } from "../context";
import type { Route } from "../http/router";
import type { LayerServer } from "../layers/layer-server";
import type { FaultProxy } from "../proxy/fault-proxy";
import type { MasterWatch } from "../sentinel/master-watch";
import type { IntegrityWriter } from "../workloads/integrity-writer";
import type { TrafficWorkload } from "../workloads/traffic";
import { MAX_TTL_SECONDS, type FaultBook } from "./fault-book";

export interface ControlDeps {
  ctx: StackContext;
  proxy: FaultProxy;
  proxyPort: number;
  watch: MasterWatch;
  layers: LayerServer[];
  traffic: TrafficWorkload;
  integrity: IntegrityWriter;
  faults: FaultBook;
}

export interface ControlReply {
  status: number;
  body: unknown;
}

export type ControlHandler = (params: Record<string, string>, body: unknown) => Promise<ControlReply>;
export type ControlRoute = Route<ControlHandler>;

/** Optional TTL of a fault: whole seconds, 1 to 600; absent means the default (120 s). */
export const TtlSeconds = z
  .number({ error: "ttlSeconds must be a number of seconds" })
  .int("ttlSeconds must be a whole number of seconds")
  .min(1, "ttlSeconds must be at least 1")
  .max(MAX_TTL_SECONDS, `ttlSeconds must be at most ${MAX_TTL_SECONDS} (10 minutes); every fault must undo itself`)
  .optional();

/** A body with only an optional TTL. */
export const TtlBody = z.strictObject({ ttlSeconds: TtlSeconds });

/** 200 with a JSON body. */
export const ok = (body: unknown): ControlReply => ({ status: 200, body });
