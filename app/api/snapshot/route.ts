import { getCollector } from "@/lib/collector/instance";
import { NO_STORE } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** The current state; serialized once per tick, whatever the number of callers. */
export function GET() {
  return new Response(getCollector().snapshotJson(), { headers: { ...NO_STORE, "Content-Type": "application/json" } });
}
