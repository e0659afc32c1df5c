import "server-only";
import { WaitingFrames } from "./waiting-frames";

/** What a stream sends: a first frame, then whatever its source pushes until the client goes. */
export interface SseSource {
  first: { event: string; bytes: Uint8Array };
  /** Starts pushing frames (`event` names the kind: only the newest of each kind waits, unless in `each`); returns the unsubscribe. */
  subscribe(send: (event: string, bytes: Uint8Array) => void): () => void;
  /** Events whose every frame waits (bounded), not only the newest: each is news (a timeline event). */
  each?: string[];
}

const HEARTBEAT_MS = 5000;

/** Frames of an `each` event waiting for one client at most (the oldest go past it). */
const MAX_EACH_WAITING = 100;

/**
 * A Server-Sent Events response with back-pressure: a frame is queued only when the client has
 * read the last one (the queue holds one). Meanwhile only the newest frame of each event waits
 * (every one of the `each` events, up to 100), so a client that never reads costs a few frames,
 * not ~6 kB/s for ever (docs/security.md, "Operator access and security"), and a burst of
 * timeline events (a look that sees four layers change) reaches a reading client whole.
 * Heartbeats are dropped, not queued, for a client that is not reading.
 */
export function sseResponse(request: Request, source: SseSource): Response {
  const encoder = new TextEncoder();
  const waiting = new WaitingFrames(new Set(source.each ?? []), MAX_EACH_WAITING);
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
          if ((controller.desiredSize ?? 0) > 0 && !waiting.size) enqueue(bytes);
          else if (event !== "heartbeat") waiting.add(event, bytes);
        };
        send(source.first.event, source.first.bytes);
        const unsubscribe = source.subscribe(send);
        const heartbeat = setInterval(() => send("heartbeat", encoder.encode(`: heartbeat ${Date.now()}\n\n`)), HEARTBEAT_MS);
        cleanup = () => {
          unsubscribe();
          clearInterval(heartbeat);
          waiting.clear();
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
        const next = waiting.next();
        if (next) enqueue(next);
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
