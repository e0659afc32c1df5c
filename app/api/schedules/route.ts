import crypto from "node:crypto";
import { accessDeployment, authorizeSome } from "@/lib/auth/access";
import { audit } from "@/lib/auth/audit";
import { readJsonBody } from "@/lib/auth/guard";
import { allows } from "@/lib/auth/roles";
import { getDeployments } from "@/lib/collector/instance";
import { badRequest, json } from "@/lib/http/responses";
import { getScheduler } from "@/lib/verification/instance";
import { ScheduleInput } from "@/lib/verification/schedule";
import { scheduleRefusal, storeOrRefusal } from "@/lib/verification/schedule-request";
import { schedulesAnswer, viewSchedule } from "@/lib/verification/schedules-view";

export const dynamic = "force-dynamic";

/** Schedules with their next slots and recent outcomes: of `?deployment=`, or of every deployment the caller may view. */
export async function GET(request: Request) {
  let names: string[];
  if (new URL(request.url).searchParams.has("deployment")) {
    const d = await accessDeployment(request, "viewer");
    if (!d.ok) return d.response;
    names = [d.deployment.name];
  } else {
    const who = await authorizeSome(request);
    if (!who.ok) return who.response;
    names = getDeployments()
      .names()
      .filter((n) => allows(who.principal.grants, "viewer", n));
  }
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  return json(await schedulesAnswer(s.store, names, getScheduler().problem));
}

/** Creates a schedule on `?deployment=` (the sandbox without it), operator there: 201 with it; 400 naming the bad field. */
export async function POST(request: Request) {
  const d = await accessDeployment(request, "operator", { absent: "chaos", action: true });
  if (!d.ok) return d.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ScheduleInput.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "body");
  const refused = scheduleRefusal(d.deployment, parsed.data.scenario);
  if (refused) return refused;
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  const created = await s.store.schedules.create(`sch-${crypto.randomBytes(6).toString("hex")}`, d.deployment.name, {
    ...parsed.data,
    createdBy: d.principal.actor,
  });
  await audit(request, d.principal, { action: "schedule.created", deployment: d.deployment.name, target: `${created.id} ${created.name}`, outcome: "ok" });
  return json(await viewSchedule(s.store, created), 201, { Location: `/api/schedules/${created.id}` });
}
