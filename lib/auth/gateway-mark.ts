import "server-only";
/**
 * The redacting gateway asks the console itself for what a viewer link's holder sees, without
 * the holder's cookie or Authorization. Its request carries this process's own random mark and
 * the link it serves, so the console answers it as that viewer link: read-only, on the link's
 * deployment. The mark never leaves the process (the gateway drops any a client sends).
 */
import crypto from "node:crypto";
import type { Principal } from "./principal";

export const GATEWAY_HEADER = "x-rrc-gateway";

const g = globalThis as typeof globalThis & { __rrcGatewayMark?: string };
const mark = () => (g.__rrcGatewayMark ??= crypto.randomBytes(32).toString("base64url"));

export interface ViewerGrant {
  /** The link's public id (never its code). */
  linkId: string;
  /** The one deployment the link shows ("*" for a link minted before links had one). */
  deployment: string;
}

/** The header the gateway's upstream request carries for `link`. */
export function gatewayMark(link: ViewerGrant): Record<string, string> {
  return { [GATEWAY_HEADER]: `${mark()}.${Buffer.from(JSON.stringify(link)).toString("base64url")}` };
}

/** The viewer link a request was sent for by this process's gateway, or null. */
export function gatewayPrincipal(request: Request): Principal | null {
  const value = request.headers.get(GATEWAY_HEADER);
  if (!value) return null;
  const [presented, payload] = value.split(".");
  const own = Buffer.from(mark());
  const given = Buffer.from(presented ?? "");
  if (given.length !== own.length || !crypto.timingSafeEqual(given, own)) return null;
  try {
    const link = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")) as ViewerGrant;
    return {
      kind: "viewer-link",
      actor: `viewer link ${link.linkId}`,
      id: link.linkId,
      grants: [{ role: "viewer", deployments: link.deployment === "*" ? "*" : [link.deployment] }],
      via: "gateway",
    };
  } catch {
    return null;
  }
}
