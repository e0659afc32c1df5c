/**
 * How long a scenario holds its fault, one rule set for every scenario that takes it (the
 * sandbox's and the cluster's): whole seconds, 3 to 120. Client-safe.
 */
import { z } from "zod";

/** `durationSeconds`, with the scenario's own default and words for what it holds. */
export const holdSeconds = (help: string, fallback = 10) =>
  z
    .number({ message: "durationSeconds must be a number" })
    .int()
    .min(3, "durationSeconds must be at least 3")
    .max(120, "durationSeconds must be at most 120")
    .default(fallback)
    .meta({ unit: "s", help });
