/** Limits failed logins per client: 5 a minute, then 429 until the window passes. Pure, in memory. */
export class LoginLimiter {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly max = 5,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds until the client may try again, or 0 when it may try now. */
  retryAfter(client: string, now = Date.now()): number {
    const recent = (this.failures.get(client) ?? []).filter((t) => now - t < this.windowMs);
    this.failures.set(client, recent);
    return recent.length >= this.max ? this.windowMs - (now - recent[0]) : 0;
  }

  fail(client: string, now = Date.now()): void {
    const recent = (this.failures.get(client) ?? []).filter((t) => now - t < this.windowMs);
    recent.push(now);
    this.failures.set(client, recent);
    // Bounded memory: forget the oldest clients first.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeed(client: string): void {
    this.failures.delete(client);
  }
}
