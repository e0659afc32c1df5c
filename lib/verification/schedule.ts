/**
 * A scheduled game day (issue 29): a scenario with its params on a deployment, when it may run,
 * the guardrails it runs under. What `POST /api/schedules` takes and the store keeps.
 */
import { z } from "zod";
import { GuardrailSchema } from "@/lib/config/verification-schema";
import type { Guardrail } from "./guardrails";
import { timingProblem, WEEKDAYS, type AllowedWindow } from "./schedule-timing";

export interface Schedule {
  id: string;
  deployment: string;
  name: string;
  scenario: string;
  params: Record<string, unknown>;
  cron: string;
  timeZone: string;
  windows: AllowedWindow[];
  blackoutDates: string[];
  /** A slot found up to this late still runs; later it is recorded as missed. */
  graceSeconds: number;
  enabled: boolean;
  /** Absent: the config's `guardrails` apply. */
  guardrails?: Guardrail[];
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** "starting": claimed, the run not yet answered (stays so if the replica stopped in between). */
export type SlotOutcome = "starting" | "started" | "missed" | "not-started";

export interface SlotRecord {
  scheduleId: string;
  slot: string;
  outcome: SlotOutcome;
  runId: string | null;
  reason: string | null;
  decidedAt: string;
}

const Window = z.strictObject({
  days: z.array(z.enum(WEEKDAYS, { message: `days are ${WEEKDAYS.join(", ")}` })).optional(),
  from: z.string({ message: "from is HH:MM" }),
  to: z.string({ message: "to is HH:MM" }),
});

const Fields = {
  name: z.string({ message: "name is required" }).trim().min(1, "name is required").max(80, "name is at most 80 characters"),
  scenario: z.string({ message: 'scenario is required, e.g. "latency"' }).min(1).max(64),
  params: z.record(z.string(), z.unknown(), { message: "params must be an object" }).default({}),
  cron: z.string({ message: 'cron is required, e.g. "0 10 * * 1-5" (10:00 on weekdays)' }).min(1).max(120),
  timeZone: z.string().default("UTC"),
  windows: z.array(Window).max(20).default([]),
  blackoutDates: z.array(z.string()).max(366).default([]),
  graceSeconds: z.number().int().min(0).max(3600, "graceSeconds is at most 3600").default(60),
  enabled: z.boolean().default(true),
  /** Absent: the config's `guardrails`; [] runs with none. */
  guardrails: z.array(GuardrailSchema).max(20).optional(),
};

export const ScheduleInput = z.strictObject(Fields).superRefine((s, ctx) => {
  const problem = timingProblem(s);
  if (problem) ctx.addIssue({ code: "custom", path: ["cron"], message: problem });
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;

/** A PATCH: any field but the deployment; the merged schedule is checked again as a whole. */
export const SchedulePatch = z.strictObject({
  name: Fields.name.optional(),
  scenario: Fields.scenario.optional(),
  params: z.record(z.string(), z.unknown(), { message: "params must be an object" }).optional(),
  cron: Fields.cron.optional(),
  timeZone: z.string().optional(),
  windows: z.array(Window).max(20).optional(),
  blackoutDates: z.array(z.string()).max(366).optional(),
  graceSeconds: z.number().int().min(0).max(3600).optional(),
  enabled: z.boolean().optional(),
  guardrails: z.array(GuardrailSchema).max(20).optional(),
});
export type SchedulePatch = z.infer<typeof SchedulePatch>;
