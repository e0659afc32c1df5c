import "server-only";

/** What a stream sends: a first frame, then whatever its source pushes until the client goes. */
export interface SseSource {
  first: { event: string; bytes: Uint8Array };
  /** Starts pushing frames (`event` names the kind: only the newest of each kind waits); returns the unsubscribe. */
  subscribe(send: (event: string, bytes: Uint8Array) => void): () => void;
}

const HEARTBEAT_MS = 5000;

/**
 * A Server-Sent Events response with back-pressure: a frame is queued only when the client has
 * read the last one (the queue holds one). Meanwhile only the newest frame of each event waits, so
 * a client that never reads costs a few frames, not ~6 kB/s for ever (docs/security.md,
 * "Operator access and security"). Heartbeats are dropped, not queued, for such a client.
 */
export function sseResponse(request: Request, source: SseSource): Response {
  const encoder = new TextEncoder();
  const latest = new Map<string, Uint8Array>();
  let cleanup = () => {};
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
        send(source.first.event, source.first.bytes);
        const unsubscribe = source.subscribe(send);
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
