/**
 * The latency scenario's own parameters, shared by the sandbox's run (the devstack's fault
 * proxy) and an external target's (the console-run proxy): one rule set, one set of messages.
 * Client-safe (external-params.ts is read by the Chaos page).
 */
import { z } from "zod";

/** Added round-trip latency; `where` says which proxy adds it. */
export const addedLatencyMs = (where: string) =>
  z
    .number({ message: "ms (added Redis round-trip latency) must be a number" })
    .int("ms must be a whole number")
    .min(10, "ms must be at least 10")
    .max(2000, "ms must be at most 2000")
    .default(100)
    .meta({ unit: "ms", help: `added round-trip latency ${where}` });

export const jitterMs = z
  .number({ message: "jitterMs must be a number" })
  .int("jitterMs must be a whole number")
  .min(0, "jitterMs must be 0 or more")
  .max(1000, "jitterMs must be at most 1000")
  .default(0)
  .meta({ unit: "ms", help: "± spread around ms" });
