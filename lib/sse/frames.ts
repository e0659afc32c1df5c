/** Splits a Server-Sent Events byte stream into events. Pure; used by tests, the bench and the CLI. */
export interface SseEvent {
  event: string;
  data: string;
}

export class SseFrameReader {
  private buffer = "";
  private readonly decoder = new TextDecoder();

  /** Feeds a chunk; returns the complete events it finished (comments and heartbeats dropped). */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.buffer += typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf("\n\n")) >= 0) {
      const frame = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let event = "message";
      const data: string[] = [];
      for (const line of frame.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data.push(line.slice(6));
      }
      if (data.length) out.push({ event, data: data.join("\n") });
    }
    return out;
  }
}
