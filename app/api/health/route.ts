/** Liveness of the dashboard itself: 200 whenever it serves, whatever Redis is doing. */
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "Cache-Control": "no-store" } });
}
