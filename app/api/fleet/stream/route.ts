import { getFleetFeed } from "@/lib/fleet/fleet-feed";
import { authorize } from "@/lib/auth/access";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { sseResponse } from "@/lib/sse/sse-response";

export const dynamic = "force-dynamic";

/** Server-Sent Events: `fleet` (every deployment's row, worst first) on each change and at least every second; one stream whatever the number of deployments. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const allowed = await authorize(request, "viewer", null);
  if (!allowed.ok) return allowed.response;
  const encoder = new TextEncoder();
  return sseResponse(request, {
    first: { event: "retry", bytes: encoder.encode("retry: 2000\n\n") },
    // Back-pressured as /api/stream: a viewer that stops reading holds only the newest fleet frame.
    subscribe: (send) => getFleetFeed().subscribe((json) => send("fleet", encoder.encode(`event: fleet\ndata: ${json}\n\n`))),
  });
}
