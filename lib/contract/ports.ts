/**
 * The sandbox's port layout relative to its base port: the one place that says which process
 * listens where. The devstack binds these ports; the console expects them before the sandbox
 * has written its state file (and follows the state file once it has).
 */
import type { LayerId } from "./failure-contract";

export const PORT_OFFSETS = {
  "redis-a": 0,
  "redis-b": 1,
  "sentinel-1": 2,
  "sentinel-2": 3,
  "sentinel-3": 4,
  proxy: 5,
  control: 6,
  L1: 7,
  L2: 8,
  L3: 9,
  CP: 10,
} as const satisfies Record<string, number> & Record<LayerId, number>;
export type PortName = keyof typeof PORT_OFFSETS;

export const DEFAULT_BASE_PORT = 6400;
/** Every port the sandbox may use lies below base + PORT_SPAN. */
export const PORT_SPAN = 20;

export const SANDBOX_HOST = "127.0.0.1";
export const NODE_NAMES = ["redis-a", "redis-b"] as const satisfies readonly PortName[];
export const SENTINEL_NAMES = ["sentinel-1", "sentinel-2", "sentinel-3"] as const satisfies readonly PortName[];

/** The port `name` listens on in a sandbox whose base port is `basePort`. */
export function sandboxPort(basePort: number, name: PortName): number {
  return basePort + PORT_OFFSETS[name];
}

/** The loopback URL of an HTTP service of the sandbox (the control API, a layer stand-in). */
export function sandboxUrl(basePort: number, name: PortName): string {
  return `http://${SANDBOX_HOST}:${sandboxPort(basePort, name)}`;
}
