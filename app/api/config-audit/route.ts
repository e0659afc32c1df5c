import { getCollector } from "@/lib/collector/instance";
import { getConfigAuditor } from "@/lib/config/audit-service";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Each node's and sentinel's settings against the guide's production baseline (read every 30 s, cached). */
export function GET() {
  return json(getConfigAuditor(getCollector()).current());
}
