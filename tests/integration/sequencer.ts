/**
 * Orders integration files longest first, from the durations a full run measured
 * (durations.json, refreshed by hand from `npm test`'s slowest-files list), so four workers finish
 * close together. A file not listed yet is taken as long: better started early than late.
 */
import fs from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

const durations: Record<string, number> = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, "durations.json"), "utf8"));
const UNKNOWN_SECONDS = 90;

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (f: TestSpecification) => durations[path.basename(f.moduleId)] ?? UNKNOWN_SECONDS;
    return [...files].sort((a, b) => seconds(b) - seconds(a));
  }
}
