/**
 * The HTTP shell shared by the four layer stand-ins: routing, JSON bodies, error answers, and
 * the "hung" switch that reliability tests use (the port accepts connections, nothing answers).
 */
import http, { type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { LayerId } from "../../lib/contract/failure-contract";
import { HttpError, readJson, requestUrl, sendJson } from "../http/http-kit";
import { matchRoute, type Route } from "../http/router";
import { messageOf } from "../timeouts";
import { errorFields } from "./layer-redis";
import type { Misbehaviour } from "./misbehave";

export interface LayerRequest {
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  url: URL;
  body: unknown;
}

export interface LayerReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type LayerHandler = (req: LayerRequest) => Promise<LayerReply>;

/** What a layer is: its id and routes (GET /health among them). */
export interface LayerDefinition {
  id: LayerId;
  routes: Route<LayerHandler>[];
  /** The switch that makes the layer break its contract on purpose (control API `misbehave`). */
  misbehave: Misbehaviour;
  /** Closes the layer's Redis client. */
  close(): Promise<void>;
}

/** One running layer stand-in on 127.0.0.1:<port>. */
export class LayerServer {
  private readonly server: http.Server;
  private held = new Set<ServerResponse>();
  private hung = false;

  constructor(
    readonly def: LayerDefinition,
    readonly port: number,
    private readonly log: (message: string) => void,
  ) {
    this.server = http.createServer((req, res) => {
      if (this.hung) {
        // Accept and never answer: the caller's own timeout is what this tests.
        this.held.add(res);
        res.on("close", () => this.held.delete(res));
        return;
      }
      void this.handle(req, res);
    });
    this.server.keepAliveTimeout = 5000;
  }

  get id(): LayerId {
    return this.def.id;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get isHung(): boolean {
    return this.hung;
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen({ port: this.port, host: "127.0.0.1", exclusive: true }, () => resolve());
    });
  }

  /** From now on requests are accepted and never answered. */
  hang(): void {
    this.hung = true;
  }

  /** Keeps its contract again (ends a misbehave mode). */
  behave(): void {
    this.def.misbehave.mode = null;
  }

  /** Answers again; requests held while hung are dropped (their callers gave up long ago). */
  unhang(): void {
    this.hung = false;
    for (const res of this.held) res.socket?.destroy();
    this.held.clear();
  }

  async close(): Promise<void> {
    this.unhang();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.def.close();
  }

  private async handle(req: http.IncomingMessage, res: ServerResponse): Promise<void> {
    const url = requestUrl(req);
    const match = matchRoute(this.def.routes, req.method ?? "GET", url.pathname);
    try {
      if (match.kind === "not-found") throw new HttpError(404, `no route ${req.method} ${url.pathname} on ${this.def.id}`);
      if (match.kind === "wrong-method") {
        throw new HttpError(405, `${url.pathname} accepts ${match.allow.join(", ")}`, { allow: match.allow.join(", ") });
      }
      const body = req.method === "GET" || req.method === "DELETE" ? {} : await readJson(req);
      const reply = await match.route.handler({ params: match.params, headers: req.headers, url, body });
      sendJson(res, reply.status, reply.body, reply.headers);
    } catch (err) {
      if (err instanceof HttpError) {
        sendJson(res, err.status, { error: err.message }, err.headers);
        return;
      }
      this.log(`${this.def.id}: ${req.method} ${url.pathname} failed: ${messageOf(err)}`);
      sendJson(res, 500, { error: "internal error in the layer stand-in" });
    }
  }
}

/** Wraps a handler so any Redis failure answers 503 with `message` (HttpErrors pass through). */
export function redisOr503(message: string, handler: LayerHandler): LayerHandler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (err) {
      if (err instanceof HttpError) throw err;
      // The Redis error class travels with the answer, so a probe can tell "writing to a replica" (READONLY) from an outage.
      const { headers, fields } = errorFields(err);
      return { status: 503, headers, body: { error: `${message} (${fields.redisError})`, ...fields } };
    }
  };
}
