/** Acknowledged writes that were lost, as a time window to hold against the guide's 1 s RPO. Pure. */
import type { IntegrityReport } from "./workloads";

export const RPO_CLAIM_MS = 1000;

export type DataLoss =
  { verified: false; why: string } | { verified: true; acknowledged: number; lost: number; windowMs: number; from: string | null; to: string | null };

/** Reads the integrity writer's report: how many acknowledged writes are gone and over how long they had been made. */
export function dataLoss(report: IntegrityReport): DataLoss {
  const v = report.verification;
  if (!v) return { verified: false, why: "the integrity writer made no read-back" };
  if ("error" in v) return { verified: false, why: v.error };
  const w = v.missing.window;
  return {
    verified: true,
    acknowledged: report.acknowledged,
    lost: v.missing.count,
    windowMs: w ? Date.parse(w.to) - Date.parse(w.from) : 0,
    from: w?.from ?? null,
    to: w?.to ?? null,
  };
}

/** One line for a check's "observed". */
export function describeLoss(loss: DataLoss): string {
  if (!loss.verified) return `could not verify: ${loss.why}`;
  if (loss.lost === 0) return `none of ${loss.acknowledged} acknowledged writes lost`;
  return `${loss.lost} of ${loss.acknowledged} acknowledged writes lost, acknowledged over ${loss.windowMs} ms (${loss.from!.slice(11, 23)}–${loss.to!.slice(11, 23)})`;
}
