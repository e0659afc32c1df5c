import { getFleetFeed } from "@/lib/fleet/fleet-feed";
import { authorize } from "@/lib/auth/access";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Every deployment's state, worst first: the fleet view's data, and its fallback when the stream drops. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  // Every deployment's state at once: a viewer of every deployment.
  const allowed = await authorize(request, "viewer", null);
  if (!allowed.ok) return allowed.response;
  return json(await getFleetFeed().freshPayload());
}
