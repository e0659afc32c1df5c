import "server-only";
/**
 * PromQL range queries with a deadline. Every failure becomes a PrometheusError whose message
 * says what happened in words an SRE can act on, naming the server by its credential-free URL.
 */
import type { PrometheusTarget } from "./url";
import { fetchWithin } from "../http/fetch-within";

export class PrometheusError extends Error {}

/** One series of a range query: its labels and [unix seconds, value] pairs. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

export interface RangeWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  stepSeconds: number;
}

type ApiAnswer = { status?: string; error?: string; errorType?: string; data?: { resultType?: string; result?: RangeSeries[] } };

function describeFailure(err: unknown, target: PrometheusTarget): string {
  const e = err as { name?: string; cause?: { code?: string } };
  const at = `Prometheus at ${target.display}`;
  if (e?.name === "TimeoutError" || e?.name === "AbortError") return `${at} did not answer within ${target.timeoutMs} ms`;
  const code = e?.cause?.code;
  if (code === "ECONNREFUSED") return `${at} refused the connection (not running, or wrong port)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `${at}: the host name does not resolve`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `${at} reset the connection`;
  return `${at} could not be reached (${code ?? "network error"})`;
}

/** `query_range` for one PromQL expression; rejects with a PrometheusError, never hangs past the target's timeout. */
export async function queryRange(target: PrometheusTarget, query: string, window: RangeWindow): Promise<RangeSeries[]> {
  const body = new URLSearchParams({
    query,
    start: String(window.start),
    end: String(window.end),
    step: `${window.stepSeconds}s`,
    // Prometheus gives up on its side too, so a heavy query does not keep running after we stopped waiting.
    timeout: `${Math.max(1, Math.floor(target.timeoutMs / 1000))}s`,
  });
  let res: Response;
  let text: string;
  try {
    // POST: the node matchers can make a long query string.
    ({ res, text } = await fetchWithin(
      `${target.baseUrl}/api/v1/query_range`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(target.authorization ? { authorization: target.authorization } : {}) },
        body,
        cache: "no-store",
      },
      target.timeoutMs,
      async (r) => ({ res: r, text: await r.text() }),
    ));
  } catch (err) {
    throw new PrometheusError(describeFailure(err, target));
  }
  let answer: ApiAnswer;
  try {
    answer = JSON.parse(text) as ApiAnswer;
  } catch {
    throw new PrometheusError(
      `Prometheus at ${target.display} answered HTTP ${res.status} with something that is not the Prometheus API (is the URL the server's base URL?)`,
    );
  }
  if (res.status === 401 || res.status === 403) throw new PrometheusError(`Prometheus at ${target.display} refused the credentials (HTTP ${res.status})`);
  if (!res.ok || answer.status !== "success") {
    throw new PrometheusError(
      `Prometheus at ${target.display} answered HTTP ${res.status}: ${(answer.error ?? answer.errorType ?? "no reason given").slice(0, 300)}`,
    );
  }
  if (answer.data?.resultType !== "matrix" || !Array.isArray(answer.data.result))
    throw new PrometheusError(`Prometheus at ${target.display} answered a ${answer.data?.resultType ?? "malformed"} result to a range query`);
  return answer.data.result;
}

/** Whether an instant query returns at least one sample now (a guardrail's stop condition); rejects with a PrometheusError. */
export async function queryHasSample(target: PrometheusTarget, query: string): Promise<boolean> {
  let res: Response;
  let answer: { status?: string; error?: string; data?: { result?: unknown[] } };
  try {
    ({ res, answer } = await fetchWithin(
      `${target.baseUrl}/api/v1/query`,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(target.authorization ? { authorization: target.authorization } : {}) },
        body: new URLSearchParams({ query, timeout: `${Math.max(1, Math.floor(target.timeoutMs / 1000))}s` }),
        cache: "no-store",
      },
      target.timeoutMs,
      async (r) => ({ res: r, answer: (await r.json()) as typeof answer }),
    ));
  } catch (err) {
    throw new PrometheusError(
      err instanceof SyntaxError ? `Prometheus at ${target.display} did not answer with the Prometheus API` : describeFailure(err, target),
    );
  }
  if (!res.ok || answer.status !== "success")
    throw new PrometheusError(`Prometheus at ${target.display} answered HTTP ${res.status}: ${(answer.error ?? "no reason given").slice(0, 300)}`);
  return Array.isArray(answer.data?.result) && answer.data.result.length > 0;
}
