import "server-only";
/**
 * Grafana annotations for incidents: start (and end, as a region) and failovers, pushed to
 * `GRAFANA_URL/api/annotations` with `GRAFANA_TOKEN` as a Bearer token when set. A push that
 * fails is logged (never with the token) and dropped: Grafana being down must not slow the watch.
 */
import type { Incident, KeyMoment } from "./types";
import { fetchWithin } from "../http/fetch-within";

export interface Annotation {
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

const TIMEOUT_MS = 3000;

export class GrafanaAnnotations {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string | null,
    private readonly deployment: string,
    private readonly log: (line: string) => void = (l) => console.warn(l),
  ) {}

  /** From GRAFANA_URL / GRAFANA_TOKEN; null when GRAFANA_URL is unset or not an http(s) URL. */
  static fromEnv(deployment: string, env: Record<string, string | undefined> = process.env): GrafanaAnnotations | null {
    const raw = env.GRAFANA_URL?.trim();
    if (!raw) return null;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      console.warn("GRAFANA_URL is not a URL: incident annotations are off");
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    return new GrafanaAnnotations(url.toString().replace(/\/+$/, ""), env.GRAFANA_TOKEN?.trim() || null, deployment);
  }

  incidentOpened(i: Incident): Promise<boolean> {
    return this.push({ time: Date.parse(i.startedAt), tags: this.tags(i, "incident-start"), text: `${i.drill ? "Drill" : "Incident"} started: ${i.title}` });
  }

  incidentClosed(i: Incident): Promise<boolean> {
    const end = Date.parse(i.recoveredAt ?? i.closedAt ?? i.startedAt);
    return this.push({
      time: Date.parse(i.startedAt),
      timeEnd: end,
      tags: this.tags(i, "incident"),
      text: `${i.drill ? "Drill" : "Incident"}: ${i.title} (${((end - Date.parse(i.startedAt)) / 1000).toFixed(1)} s)`,
    });
  }

  failover(i: Incident, m: KeyMoment): Promise<boolean> {
    return this.push({ time: Date.parse(m.at), tags: this.tags(i, "failover"), text: m.title });
  }

  private tags(i: Incident, what: string): string[] {
    return ["redis-resilience-console", what, `deployment:${this.deployment}`, `incident:${i.id}`, ...(i.drill ? ["drill"] : [])];
  }

  async push(a: Annotation): Promise<boolean> {
    try {
      const res = await fetchWithin(
        `${this.baseUrl}/api/annotations`,
        {
          method: "POST",
          headers: { "Content-Type": "application/json", ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
          body: JSON.stringify(a),
        },
        TIMEOUT_MS,
        async (r) => (await r.body?.cancel(), r),
      );
      if (!res.ok) this.log(`grafana annotation refused: HTTP ${res.status} from ${this.baseUrl}/api/annotations`);
      return res.ok;
    } catch (err) {
      // The message names the URL at most: the token is only ever in the request header.
      this.log(
        `grafana annotation failed: ${(err as Error).name === "TimeoutError" ? `no answer within ${TIMEOUT_MS} ms` : (err as Error).message} (${this.baseUrl}/api/annotations)`,
      );
      return false;
    }
  }
}
