import { VIEWER_COOKIE, viewerGrant } from "@/lib/auth/viewer-sessions";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { problem } from "@/lib/http/responses";
import { serveToViewer } from "@/lib/present/gateway";

export const dynamic = "force-dynamic";

/** Where proxy.ts sends a viewer session's requests (x-rrc-viewer-path: the path asked for). */
export async function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const path = request.headers.get("x-rrc-viewer-path");
  if (!path || !path.startsWith("/") || path.startsWith("//")) return problem(400, "no path to serve");
  const grant = await viewerGrant(request);
  if (!grant) {
    return Response.json(
      { error: "this viewer session has expired or its link was revoked", hint: "Ask the operator for a new viewer link." },
      { status: 401, headers: { "Set-Cookie": `${VIEWER_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`, "Cache-Control": "no-store" } },
    );
  }
  return serveToViewer(request, path, grant);
}

function readOnly() {
  return problem(403, "a viewer session is read-only", "Viewer links show the console; operator actions need the operator's login.");
}

export { readOnly as POST, readOnly as PUT, readOnly as PATCH, readOnly as DELETE };
