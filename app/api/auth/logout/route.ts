import { audit } from "@/lib/auth/audit";
import { crossOrigin } from "@/lib/auth/guard";
import { identify } from "@/lib/auth/identify";
import { endSessionUrl } from "@/lib/auth/oidc-session";
import { endSession, isHttps, sessionIdFrom } from "@/lib/auth/session";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/**
 * Ends the session on the server (the cookie alone would outlive a stateless logout); for a
 * person signed in through the provider, `endSessionUrl` is where the browser ends it there too.
 */
export async function POST(request: Request) {
  const refused = refuseForeignHost(request) ?? crossOrigin(request);
  if (refused) return refused;
  const id = sessionIdFrom(request);
  const origin = `${isHttps(request) ? "https" : "http"}://${request.headers.get("host")}`;
  const atProvider = id ? await endSessionUrl(id, `${origin}/login`) : null;
  const who = await identify(request);
  if (who.ok && who.principal.kind !== "anonymous") await audit(request, who.principal, { action: "sign-out", outcome: "ok" });
  return json({ operator: false, endSessionUrl: atProvider }, 200, { "Set-Cookie": await endSession(request) });
}
