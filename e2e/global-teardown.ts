import { fileURLToPath } from "node:url";
import path from "node:path";
import { clusterDown } from "../devstack/cluster/cluster-lifecycle";
import { stackDown } from "../devstack/lifecycle";
import { E2E, E2E_CLUSTER } from "./env";

export default async function globalTeardown() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  await stackDown(path.join(root, E2E.devstackDir));
  await clusterDown(path.join(root, E2E_CLUSTER.clusterDir));
}
