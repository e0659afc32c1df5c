import { getFleetFeed } from "@/lib/fleet/fleet-feed";
import { refuseForeignHost } from "@/lib/http/host-allowlist";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 5000;

/** Server-Sent Events: `fleet` (every deployment's row, worst first) on each change and at least every second; one stream whatever the number of deployments. */
export function GET(request: Request) {
  const refused = refuseForeignHost(request);
  if (refused) return refused;
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
      send("retry: 2000\n\n");
      const unsubscribe = getFleetFeed().subscribe((json) => send(`event: fleet\ndata: ${json}\n\n`));
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
