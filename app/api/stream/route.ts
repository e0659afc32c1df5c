import { accessDeployment } from "@/lib/auth/access";
import { SharedFrames } from "@/lib/sse/shared-frames";
import { sseResponse } from "@/lib/sse/sse-response";

export const dynamic = "force-dynamic";

/** Frames shared by every stream of this process (one encoding per event, not per viewer). */
const frames = new SharedFrames();

/** Server-Sent Events for the default deployment or `?deployment=`: `snapshot` every tick (and at once on a failover), `timeline` per event, heartbeats. */
export async function GET(request: Request) {
  const d = await accessDeployment(request, "viewer");
  if (!d.ok) return d.response;
  const collector = d.deployment.collector;
  return sseResponse(request, {
    first: { event: "snapshot", bytes: new TextEncoder().encode(`retry: 2000\nevent: snapshot\ndata: ${collector.snapshotJson()}\n\n`) },
    subscribe: (send) => collector.subscribe((event, json) => send(event, frames.frame(event, json))),
    // Every timeline event reaches a reading client (a look's burst of changes), not only the newest.
    each: ["timeline"],
  });
}
