import "server-only";
/**
 * The redacting gateway for viewer sessions: proxy.ts sends every request that carries a viewer
 * cookie here; the gateway asks the console itself over loopback (without the cookie) and masks
 * addresses, ports, host names and key names in whatever comes back — pages, RSC payloads, API
 * answers, and the stream event by event. Read-only: anything but GET is refused.
 */
import { gatewayMark, GATEWAY_HEADER, type ViewerGrant } from "../auth/gateway-mark";
import { getDeployments } from "../collector/instance";
import { fetchWithin } from "../http/fetch-within";
import { prometheusSource } from "../prometheus/source";
import { sameLengthMask, textRedactor } from "./redact";

/**
 * Request headers a page or RSC fetch needs passed on; cookies, credentials and hop-by-hop ones
 * never are (a viewer's Authorization would be checked as the gateway's own, and its failures counted).
 */
const DROP_REQUEST = new Set(["cookie", "authorization", GATEWAY_HEADER, "host", "connection", "content-length", "accept-encoding", "x-rrc-viewer-path"]);
const DROP_RESPONSE = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "set-cookie"]);

/** Every host name the watched deployments are configured with (they are masked too). */
function configuredHosts(): string[] {
  const all = getDeployments();
  return all.names().flatMap((name) => {
    const c = all.find(name)!.collector.settings;
    const layerHosts = c.layers.flatMap((l) => {
      try {
        return [new URL(l.url).hostname];
      } catch {
        return [];
      }
    });
    return [...c.redis.nodes.map((n) => n.host), ...c.redis.sentinels.map((s) => s.host), c.redis.layerAddress?.host ?? "", ...layerHosts];
  });
}

/** The Prometheus behind long ranges is named in /api/deployments: its host is masked too. */
function prometheusHost(): string[] {
  try {
    const p = prometheusSource();
    return p ? [new URL(p.baseUrl).hostname] : [];
  } catch {
    return []; // a malformed PROMETHEUS_URL is refused where it is used; nothing of it is served
  }
}

/**
 * What the gateway asks the console for: an API path always in presentation mode (no example key
 * names, whatever query the viewer sent), pages as asked (proxy.ts already put them in it); a
 * path that names no deployment is about the link's own (the console's default may be one the
 * link does not show).
 */
export function viewerUpstreamPath(path: string, deployment: string): string {
  const u = new URL(path, "http://gateway.invalid");
  if (u.pathname.startsWith("/api/")) u.searchParams.set("present", "1");
  if (!u.searchParams.has("deployment") && deployment !== "*") u.searchParams.set("deployment", deployment);
  return u.pathname + u.search;
}

const TEXTUAL = /^(text\/|application\/(json|javascript|yaml|x-component)|text\/x-component)/;

/** Redacts an SSE stream frame by frame, so a mask never straddles two chunks. */
function redactEvents(body: ReadableStream<Uint8Array>, redact: (s: string) => string): ReadableStream<Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffered = "";
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, out) {
        buffered += decoder.decode(chunk, { stream: true });
        const end = buffered.lastIndexOf("\n\n");
        if (end < 0) return;
        out.enqueue(encoder.encode(redact(buffered.slice(0, end + 2))));
        buffered = buffered.slice(end + 2);
      },
      flush(out) {
        if (buffered) out.enqueue(encoder.encode(redact(buffered)));
      },
    }),
  );
}

/** How long the console may take to answer a view (a page renders in well under a second). */
const UPSTREAM_MS = 15_000;

/** A textual answer other than a stream: read whole, so it can be redacted. */
function isRedactedWhole(res: Response): boolean {
  const type = res.headers.get("content-type") ?? "";
  return !type.startsWith("text/event-stream") && TEXTUAL.test(type);
}

/** Serves `path` to a viewer of `grant`'s link, redacted; the console answers the gateway as that link (read-only, its deployment). */
export async function serveToViewer(request: Request, path: string, grant: ViewerGrant): Promise<Response> {
  const headers = new Headers();
  request.headers.forEach((v, k) => {
    if (!DROP_REQUEST.has(k) && !k.startsWith("x-middleware-")) headers.set(k, v);
  });
  const port = process.env.PORT ?? "3000";
  headers.set("host", `127.0.0.1:${port}`);
  for (const [k, v] of Object.entries(gatewayMark(grant))) headers.set(k, v);
  // Bounded to the answer's head, and a textual body read whole; a stream then flows for as long
  // as the viewer keeps it open (the viewer's own signal ends it).
  let upstream: Response;
  let text: string | null;
  try {
    ({ upstream, text } = await fetchWithin(
      `http://127.0.0.1:${port}${viewerUpstreamPath(path, grant.deployment)}`,
      { headers, redirect: "manual", signal: request.signal, cache: "no-store" },
      UPSTREAM_MS,
      async (res) => ({ upstream: res, text: res.body && isRedactedWhole(res) ? await res.text() : null }),
    ));
  } catch (err) {
    if ((err as Error).name === "TimeoutError")
      return Response.json({ error: `the console did not answer this view within ${UPSTREAM_MS / 1000} s` }, { status: 504 });
    return Response.json({ error: "the console could not serve this view" }, { status: 502 });
  }
  const out = new Headers();
  upstream.headers.forEach((v, k) => {
    if (!DROP_RESPONSE.has(k)) out.set(k, v);
  });
  out.set("Cache-Control", "no-store");
  const type = upstream.headers.get("content-type") ?? "";
  const redact = textRedactor([...configuredHosts(), ...prometheusHost()], sameLengthMask);
  if (!upstream.body) return new Response(null, { status: upstream.status, headers: out });
  if (type.startsWith("text/event-stream")) return new Response(redactEvents(upstream.body, redact), { status: upstream.status, headers: out });
  if (text === null) return new Response(upstream.body, { status: upstream.status, headers: out });
  text = redact(text);
  // The page's scripts carry the nonce its own render chose: the CSP must name that one.
  const nonce = type.startsWith("text/html") ? /\snonce="([\w+/=-]+)"/.exec(text)?.[1] : undefined;
  const csp = out.get("content-security-policy");
  if (nonce && csp) out.set("content-security-policy", csp.replace(/'nonce-[^']+'/, `'nonce-${nonce}'`));
  return new Response(text, { status: upstream.status, headers: out });
}
