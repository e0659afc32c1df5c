import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { problem } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

/** Unknown API routes answer JSON 404 (never the HTML page), naming where to look. */
function notFound(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
  const path = new URL(request.url).pathname.slice(0, 120);
  return problem(
    404,
    `no API route ${path}`,
    "Routes: /api/health, /api/deployments, /api/snapshot, /api/stream, /api/history, /api/timeline, /api/chaos/scenarios, /api/chaos/runs, /api/metrics; each takes ?deployment=name.",
  );
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
