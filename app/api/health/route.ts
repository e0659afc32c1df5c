import { deploymentFor } from "@/lib/deployments/resolve";

/** Liveness of the dashboard itself: 200 whenever it serves, whatever Redis is doing. */
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  // `?deployment=` is checked as on every route (an unknown name is a 404), but never changes the answer.
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
