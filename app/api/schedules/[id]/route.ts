import { authorize, authorizeSome } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { crossOrigin, readJsonBody } from "@/lib/auth/guard";
import { getDeployments } from "@/lib/collector/instance";
import { refuseForeignHost } from "@/lib/http/host-allowlist";
import { badRequest, json, problem } from "@/lib/http/responses";
import type { Store } from "@/lib/store/store";
import type { Principal } from "@/lib/auth/principal";
import { ScheduleInput, SchedulePatch, type Schedule } from "@/lib/verification/schedule";
import { scheduleRefusal, storeOrRefusal } from "@/lib/verification/schedule-request";
import { viewSchedule } from "@/lib/verification/schedules-view";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const notFound = (id: string) => problem(404, `no schedule "${id.slice(0, 80)}"`, "GET /api/schedules lists them.");

/**
 * The schedule and the caller's right to change it: signed in at all (401 before anything is
 * said about the id), the schedule found (404), operator on its deployment (403).
 */
async function scheduleToChange(
  request: Request,
  id: string,
): Promise<{ ok: true; store: Store; schedule: Schedule; principal: Principal } | { ok: false; response: Response }> {
  const refused = refuseForeignHost(request) ?? crossOrigin(request);
  if (refused) return { ok: false, response: refused };
  const who = await authorizeSome(request);
  if (!who.ok) return who;
  const s = storeOrRefusal();
  if (!s.ok) return s;
  const schedule = await s.store.schedules.get(id);
  if (!schedule) return { ok: false, response: notFound(id) };
  const may = await authorize(request, "operator", schedule.deployment);
  return may.ok ? { ok: true, store: s.store, schedule, principal: may.principal } : may;
}

/** Changes a schedule (pause with {"enabled": false}); the result is checked as a whole. */
export async function PATCH(request: Request, ctx: Ctx) {
  const { id } = await ctx.params;
  const found = await scheduleToChange(request, id);
  if (!found.ok) return found.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const patch = SchedulePatch.safeParse(read.body);
  if (!patch.success) return badRequest(patch.error, "body");
  const { id: _id, deployment, createdAt: _c, updatedAt: _u, createdBy, ...fields } = found.schedule;
  const merged = ScheduleInput.safeParse({ ...fields, ...patch.data });
  if (!merged.success) return badRequest(merged.error, "body");
  const d = getDeployments().find(deployment);
  if (d) {
    const refused = scheduleRefusal(d, merged.data.scenario);
    if (refused) return refused;
  }
  const updated = await found.store.schedules.update(id, { ...merged.data, createdBy });
  if (!updated) return notFound(id);
  await audit(request, found.principal, { action: "schedule.updated", deployment, target: `${id} ${Object.keys(patch.data).join(",")}`, outcome: "ok" });
  return json(await viewSchedule(found.store, updated));
}

export async function DELETE(request: Request, ctx: Ctx) {
  const { id } = await ctx.params;
  const found = await scheduleToChange(request, id);
  if (!found.ok) return found.response;
  if (!(await found.store.schedules.remove(id))) return notFound(id);
  await audit(request, found.principal, {
    action: "schedule.deleted",
    deployment: found.schedule.deployment,
    target: `${id} ${found.schedule.name}`,
    outcome: "ok",
  });
  return new Response(null, { status: 204 });
}
