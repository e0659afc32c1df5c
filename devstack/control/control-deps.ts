/** What the control API's routes act on; the bodies and answers they share are in lib/contract. */
import type { StackContext } from "../context";
import type { Route } from "../http/router";
import type { LayerServer } from "../layers/layer-server";
import type { ProxyAddressing } from "../proxy/addressing";
import type { FaultProxy } from "../../lib/contract/fault-proxy/fault-proxy";
import type { MasterWatch } from "../sentinel/master-watch";
import type { IntegrityWriter } from "../workloads/integrity-writer";
import type { TrafficWorkload } from "../workloads/traffic";
import type { FaultBook } from "./fault-book";

export interface ControlDeps {
  ctx: StackContext;
  proxy: FaultProxy;
  /** Where the proxy sends new connections: following the master, or pinned to one node. */
  addressing: ProxyAddressing;
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

/** 200 with a JSON body. */
export const ok = (body: unknown): ControlReply => ({ status: 200, body });
