import { identify } from "@/lib/auth/identify";
import { sessionView } from "@/lib/auth/session-view";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Who this request is (never a credential) and its role on each deployment; a wrong bearer token is a 401, counted by the limiter. */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const who = await identify(request);
  if (!who.ok) return who.response;
  return json(sessionView(who.principal));
}
