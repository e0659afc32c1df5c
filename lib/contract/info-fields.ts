/**
 * INFO's "field:value" lines as fields, the raw split both sides read: the devstack for its own
 * health checks and filler, the console under its typed NodeInfo (lib/redis/info.ts).
 */

/** Splits INFO into "field -> raw value"; section headers and blank lines are skipped. */
export function infoToMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const raw of text.split("\n")) {
    const line = raw.trimEnd();
    if (!line || line.startsWith("#")) continue;
    const i = line.indexOf(":");
    if (i > 0) map.set(line.slice(0, i), line.slice(i + 1));
  }
  return map;
}

/** The same as a plain record, for callers that read a field or two (the devstack's own checks). */
export function infoFields(text: string): Record<string, string> {
  return Object.fromEntries(infoToMap(text));
}

/**
 * used_memory as maxmemory counts it: without the replicas' output buffers and the AOF buffer
 * (`mem_not_counted_for_evict`). Those swell while a replica lags and drain when it catches up,
 * so a fill judged by raw used_memory can "reach" a target it then falls back from.
 */
export function memoryCountedForEviction(fields: Record<string, string>): number {
  return Number(fields.used_memory) - (Number(fields.mem_not_counted_for_evict) || 0);
}
