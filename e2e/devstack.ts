/** The e2e devstack's control API, for injecting and undoing faults from a test. */
import fs from "node:fs";
import path from "node:path";
import { E2E } from "./env";

function stackState(): { control: { url: string } | null; controlToken: string } {
  return JSON.parse(fs.readFileSync(path.join(process.cwd(), E2E.devstackDir, "state.json"), "utf8"));
}

export async function controlApi(method: string, route: string, body?: unknown): Promise<unknown> {
  const state = stackState();
  if (!state.control) throw new Error("the e2e devstack has no control API");
  const res = await fetch(state.control.url + route, {
    method,
    headers: { authorization: `Bearer ${state.controlToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(120_000),
  });
  if (!res.ok) throw new Error(`control ${method} ${route} → ${res.status}: ${await res.text()}`);
  return res.json().catch(() => null);
}
