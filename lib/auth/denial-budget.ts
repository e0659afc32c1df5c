/**
 * A bound on how many denials (401/403) one client writes to the audit trail: a scanner hitting an
 * exposed console must not write a row per request. Within a minute a client's first `perMinute`
 * denials are written one by one; the rest are counted, and the count is written as one entry
 * when the minute ends. Pure (the clock is passed in); the caller writes what it is told to.
 */
export interface SuppressedDenials {
  client: string;
  count: number;
  from: number;
  to: number;
}

interface Window {
  start: number;
  written: number;
  suppressed: number;
  firstSuppressed: number;
  lastSuppressed: number;
}

export const WINDOW_MS = 60_000;

export class DenialBudget {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly perMinute = 20,
    /** Clients tracked at once; the oldest window is closed (its count reported) past this. */
    private readonly maxClients = 10_000,
  ) {}

  /** Whether this denial is written one by one; also what closed windows must now report. */
  admit(client: string, now: number): { write: boolean; closed: SuppressedDenials[] } {
    const closed = this.close(now);
    let w = this.windows.get(client);
    if (!w) {
      if (this.windows.size >= this.maxClients) closed.push(...this.evictOldest());
      w = { start: now, written: 0, suppressed: 0, firstSuppressed: 0, lastSuppressed: 0 };
      this.windows.set(client, w);
    }
    if (w.written < this.perMinute) {
      w.written++;
      return { write: true, closed };
    }
    if (w.suppressed++ === 0) w.firstSuppressed = now;
    w.lastSuppressed = now;
    return { write: false, closed };
  }

  /** Ends the windows older than a minute; the counts of those that held denials back. */
  close(now: number): SuppressedDenials[] {
    const out: SuppressedDenials[] = [];
    for (const [client, w] of this.windows) {
      if (now - w.start < WINDOW_MS) continue;
      this.windows.delete(client);
      if (w.suppressed) out.push({ client, count: w.suppressed, from: w.firstSuppressed, to: w.lastSuppressed });
    }
    return out;
  }

  /** Whether some open window holds a count not yet reported. */
  holdsBack(): boolean {
    for (const w of this.windows.values()) if (w.suppressed) return true;
    return false;
  }

  private evictOldest(): SuppressedDenials[] {
    const [client, w] = this.windows.entries().next().value as [string, Window];
    this.windows.delete(client);
    return w.suppressed ? [{ client, count: w.suppressed, from: w.firstSuppressed, to: w.lastSuppressed }] : [];
  }
}
