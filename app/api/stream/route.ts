import { deploymentFor } from "@/lib/deployments/resolve";
import { SharedFrames } from "@/lib/sse/shared-frames";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 5000;

/** Frames shared by every stream of this process (one encoding per event, not per viewer). */
const frames = new SharedFrames();

/** Server-Sent Events for the default deployment or `?deployment=`: `snapshot` every tick (and at once on a failover), `timeline` per event, heartbeats. */
export function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const collector = d.deployment.collector;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  // Back-pressure: a frame is queued only when the client has read the last one (the queue holds
  // one). Meanwhile only the newest frame of each event waits, so a client that never reads costs
  // a few frames, not ~6 kB/s for ever (README "Operator access and security").
  const latest = new Map<string, Uint8Array>();
  let control: ReadableStreamDefaultController<Uint8Array> | null = null;
  const enqueue = (bytes: Uint8Array) => {
    try {
      control!.enqueue(bytes);
    } catch {
      cleanup();
    }
  };
  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        control = controller;
        const send = (event: string, bytes: Uint8Array) => {
          if ((controller.desiredSize ?? 0) > 0 && !latest.size) enqueue(bytes);
          else if (event !== "heartbeat") latest.set(event, bytes);
        };
        send("snapshot", encoder.encode(`retry: 2000\nevent: snapshot\ndata: ${collector.snapshotJson()}\n\n`));
        const unsubscribe = collector.subscribe((event, json) => send(event, frames.frame(event, json)));
        const heartbeat = setInterval(() => send("heartbeat", encoder.encode(`: heartbeat ${Date.now()}\n\n`)), HEARTBEAT_MS);
        cleanup = () => {
          unsubscribe();
          clearInterval(heartbeat);
          latest.clear();
        };
        request.signal.addEventListener("abort", () => {
          cleanup();
          try {
            controller.close();
          } catch {
            /* already closed */
          }
        });
      },
      // The client read a frame: the oldest waiting event goes next (timeline before the snapshot that follows it).
      pull() {
        const first = latest.entries().next();
        if (first.done) return;
        latest.delete(first.value[0]);
        enqueue(first.value[1]);
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 1 },
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
