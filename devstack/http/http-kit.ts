/** Request/answer plumbing shared by the layer stand-ins and the control API (node:http). */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { z } from "zod";

/** Bodies above this answer 413: no route here needs more. */
export const MAX_BODY_BYTES = 64 * 1024;

/** An error that carries the HTTP status to answer with; its message is shown to the caller. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Reads the whole body, refusing with 413 past `limit` bytes. */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) {
    req.resume();
    return Promise.reject(new HttpError(413, `body is ${declared} bytes; the limit is ${limit} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new HttpError(413, `body is over the limit of ${limit} bytes`)) : resolve(Buffer.concat(chunks))));
    req.on("error", reject);
  });
}

/** Parses a JSON body; an empty body is `{}` so routes with only optional fields accept none. */
export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const raw = (await readBody(req, limit)).toString("utf8").trim();
  if (raw === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new HttpError(400, 'body is not valid JSON; send a JSON object, e.g. {"ttlSeconds": 30}');
  }
}

/** Writes a JSON answer (once; later calls on a finished response are ignored). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.writableEnded) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    ...(text ? { "content-type": "application/json; charset=utf-8" } : {}),
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}

/** Path and query of a request, with a base only so URL can parse it. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? "/", "http://127.0.0.1");
}

/** Validates a body with a zod schema; 400 naming each bad field and what it needs. */
export function validate<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new HttpError(400, result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "));
}
