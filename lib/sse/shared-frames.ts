/**
 * One encoded frame per event for every subscriber: the collector hands the same JSON string to
 * each stream, and encoding it once instead of once per viewer keeps a second's worth of frames
 * from being copied as many times as there are viewers. Frames are never mutated once made.
 */
export class SharedFrames {
  private readonly last = new Map<string, { json: string; bytes: Uint8Array }>();
  private readonly encoder = new TextEncoder();

  /** `event: <event>\ndata: <json>\n\n`, encoded; the same bytes for the same (event, json) as last time. */
  frame(event: string, json: string): Uint8Array {
    const hit = this.last.get(event);
    if (hit && hit.json === json) return hit.bytes;
    const bytes = this.encoder.encode(`event: ${event}\ndata: ${json}\n\n`);
    this.last.set(event, { json, bytes });
    return bytes;
  }
}
