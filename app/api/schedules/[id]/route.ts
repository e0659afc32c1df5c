import { guardOperatorAction, readJsonBody } from "@/lib/auth/guard";
import { getDeployments } from "@/lib/collector/instance";
import { badRequest, json, problem } from "@/lib/http/responses";
import { ScheduleInput, SchedulePatch } from "@/lib/verification/schedule";
import { scheduleRefusal, storeOrRefusal } from "@/lib/verification/schedule-request";
import { viewSchedule } from "@/lib/verification/schedules-view";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

const notFound = (id: string) => problem(404, `no schedule "${id.slice(0, 80)}"`, "GET /api/schedules lists them.");

/** Changes a schedule (pause with {"enabled": false}); the result is checked as a whole. */
export async function PATCH(request: Request, ctx: Ctx) {
  const denied = await guardOperatorAction(request);
  if (denied) return denied;
  const { id } = await ctx.params;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const patch = SchedulePatch.safeParse(read.body);
  if (!patch.success) return badRequest(patch.error, "body");
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  const current = await s.store.schedules.get(id);
  if (!current) return notFound(id);
  const { id: _id, deployment, createdAt: _c, updatedAt: _u, createdBy, ...fields } = current;
  const merged = ScheduleInput.safeParse({ ...fields, ...patch.data });
  if (!merged.success) return badRequest(merged.error, "body");
  const d = getDeployments().find(deployment);
  if (d) {
    const refused = scheduleRefusal(d, merged.data.scenario);
    if (refused) return refused;
  }
  const updated = await s.store.schedules.update(id, { ...merged.data, createdBy });
  return updated ? json(await viewSchedule(s.store, updated)) : notFound(id);
}

export async function DELETE(request: Request, ctx: Ctx) {
  const denied = await guardOperatorAction(request);
  if (denied) return denied;
  const { id } = await ctx.params;
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  return (await s.store.schedules.remove(id)) ? new Response(null, { status: 204 }) : notFound(id);
}
