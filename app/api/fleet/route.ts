import { getFleetFeed } from "@/lib/fleet/fleet-feed";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Every deployment's state, worst first: the fleet view's data, and its fallback when the stream drops. */
export function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  return json(getFleetFeed().payload());
}
