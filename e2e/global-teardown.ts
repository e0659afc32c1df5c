import { fileURLToPath } from "node:url";
import path from "node:path";
import { stackDown } from "../devstack/lifecycle";
import { E2E } from "./env";

export default async function globalTeardown() {
  await stackDown(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", E2E.devstackDir));
}
