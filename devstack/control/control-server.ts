/**
 * The control API server: node:http on 127.0.0.1, bearer token on every route, JSON in and
 * out, 404/405/413/400 with messages a person can act on. Mutating calls are refused (409)
 * while a reset runs, so a reset's result is not undone behind its back.
 */
import crypto from "node:crypto";
import http from "node:http";
import { HttpError, readJson, requestUrl, sendJson } from "../http/http-kit";
import { matchRoute } from "../http/router";
import { messageOf } from "../timeouts";
import type { ControlRoute } from "./control-deps";

const digest = (s: string) => crypto.createHash("sha256").update(s).digest();

/** True when the header carries exactly the token (constant-time compare). */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? "");
  return !!m && crypto.timingSafeEqual(digest(m[1]), digest(token));
}

function isLoopback(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

export interface ControlServerOptions {
  port: number;
  token: string;
  routes: ControlRoute[];
  log: (message: string) => void;
  /** Strips secrets from any text before it leaves the process. */
  redact: (text: string) => string;
  /** True while a reset runs. */
  busy: () => boolean;
}

/** Starts the control API; resolves once it listens. */
export async function startControlServer(opts: ControlServerOptions): Promise<http.Server> {
  const server = http.createServer((req, res) => void handle(opts, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: opts.port, host: "127.0.0.1", exclusive: true }, () => resolve());
  });
  return server;
}

async function handle(opts: ControlServerOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const url = requestUrl(req);
  try {
    if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, "the control API answers only on loopback");
    if (!bearerMatches(req.headers.authorization, opts.token)) {
      throw new HttpError(401, "missing or wrong bearer token: send Authorization: Bearer <controlToken from the devstack state file>", {
        "www-authenticate": 'Bearer realm="devstack-control"',
      });
    }
    const match = matchRoute(opts.routes, method, url.pathname);
    if (match.kind === "not-found") throw new HttpError(404, `no route ${method} ${url.pathname}; see devstack/README.md for the API`);
    if (match.kind === "wrong-method") {
      throw new HttpError(405, `${url.pathname} accepts ${match.allow.join(", ")}, not ${method}`, { allow: match.allow.join(", ") });
    }
    const body = method === "GET" ? {} : await readJson(req);
    if (method !== "GET" && opts.busy()) throw new HttpError(409, "a reset is in progress; try again when it has finished");
    const reply = await match.route.handler(match.params, body);
    if (method !== "GET") opts.log(`control: ${method} ${url.pathname} -> ${reply.status}`);
    sendJson(res, reply.status, reply.body);
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    const message = opts.redact(messageOf(err));
    if (status >= 500 || method !== "GET") opts.log(`control: ${method} ${url.pathname} -> ${status}: ${message}`);
    if (status === 413) res.setHeader("connection", "close");
    sendJson(res, status, { error: status === 500 ? `internal error: ${message}` : message }, err instanceof HttpError ? err.headers : {});
  }
}
