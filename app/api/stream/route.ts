import { deploymentFor } from "@/lib/deployments/resolve";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 5000;

/** Server-Sent Events for the default deployment or `?deployment=`: `snapshot` every tick (and at once on a failover), `timeline` per event, heartbeats. */
export function GET(request: Request) {
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const collector = d.deployment.collector;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\nevent: snapshot\ndata: ${collector.snapshotJson()}\n\n`);
      const unsubscribe = collector.subscribe((event, json) => send(`event: ${event}\ndata: ${json}\n\n`));
      const heartbeat = setInterval(() => send(`: heartbeat ${Date.now()}\n\n`), HEARTBEAT_MS);
      cleanup = () => {
        unsubscribe();
        clearInterval(heartbeat);
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
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
