import { z } from "zod";
import { accessDeployment } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { readJsonBody } from "@/lib/auth/guard";
import { mintViewerLink } from "@/lib/auth/session";
import { VIEWER_LINK_DEFAULT_HOURS, VIEWER_LINK_MAX_HOURS } from "@/lib/auth/viewer-links";
import { badRequest, json } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const Body = z.strictObject({
  hours: z
    .number({ message: "hours must be a number" })
    .positive("hours must be positive")
    .max(VIEWER_LINK_MAX_HOURS, `hours must be at most ${VIEWER_LINK_MAX_HOURS}`)
    .default(VIEWER_LINK_DEFAULT_HOURS),
});

/** A tenant-facing viewer link (operator of the deployment): read-only, redacted by the server, expiring. */
export async function POST(request: Request) {
  const d = await accessDeployment(request, "operator", { action: true });
  if (!d.ok) return d.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = Body.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "viewer link");
  const link = await mintViewerLink(parsed.data.hours);
  await audit(request, d.principal, { action: "viewer-link.created", deployment: d.deployment.name, target: `expires ${link.expiresAt}`, outcome: "ok" });
  return json({ ...link, path: `/present/${link.code}` }, 201);
}
