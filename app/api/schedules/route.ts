import crypto from "node:crypto";
import { guardOperatorAction, readJsonBody } from "@/lib/auth/guard";
import { getDeployments } from "@/lib/collector/instance";
import { deploymentFor } from "@/lib/deployments/resolve";
import { badRequest, json } from "@/lib/http/responses";
import { getScheduler } from "@/lib/verification/instance";
import { ScheduleInput } from "@/lib/verification/schedule";
import { scheduleRefusal, storeOrRefusal } from "@/lib/verification/schedule-request";
import { schedulesAnswer, viewSchedule } from "@/lib/verification/schedules-view";

export const dynamic = "force-dynamic";

/** Schedules with their next slots and recent outcomes: of `?deployment=`, or of every deployment without it. */
export async function GET(request: Request) {
  const named = new URL(request.url).searchParams.has("deployment");
  const d = deploymentFor(request);
  if (!d.ok) return d.response;
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  const names = named ? [d.deployment.name] : getDeployments().names();
  return json(await schedulesAnswer(s.store, names, getScheduler().problem));
}

/** Creates a schedule on `?deployment=` (the sandbox without it): 201 with it; 400 naming the bad field. */
export async function POST(request: Request) {
  const denied = await guardOperatorAction(request);
  if (denied) return denied;
  const d = deploymentFor(request, "chaos");
  if (!d.ok) return d.response;
  const read = await readJsonBody(request);
  if (!read.ok) return read.response;
  const parsed = ScheduleInput.safeParse(read.body);
  if (!parsed.success) return badRequest(parsed.error, "body");
  const refused = scheduleRefusal(d.deployment, parsed.data.scenario);
  if (refused) return refused;
  const s = storeOrRefusal();
  if (!s.ok) return s.response;
  const created = await s.store.schedules.create(`sch-${crypto.randomBytes(6).toString("hex")}`, d.deployment.name, { ...parsed.data, createdBy: "operator" });
  return json(await viewSchedule(s.store, created), 201, { Location: `/api/schedules/${created.id}` });
}
