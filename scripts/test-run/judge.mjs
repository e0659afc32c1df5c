/**
 * How a vitest run is counted, from its JSON report and exit code (pure: unit-tested in judge.test.mjs).
 * Any sign of failure counts: a failed test, a file that failed outside its tests (a throwing
 * beforeAll/afterAll, a load error), a non-zero exit with nothing failed (an unhandled error).
 */
import path from "node:path";

/** @typedef {{ status: string, fullName?: string, title: string, duration?: number | null, failureMessages?: string[] }} VitestAssertion */
/** @typedef {{ name: string, status: string, message?: string, startTime?: number, endTime?: number, assertionResults?: VitestAssertion[] }} VitestFile */
/** @typedef {{ numPassedTests: number, numFailedTests: number, testResults?: VitestFile[] }} VitestReport */
/** @typedef {{ name: string, seconds: number }} Timed */
/** @typedef {{ passed: number, failed: number, notes: string[], skipped: string[], failures: string[], files: Timed[], tests: Timed[] }} VitestCount */

const SKIPPED = ["pending", "skipped", "todo"];

/**
 * @param {VitestReport | null} report @param {number} exitCode @param {string} root
 * @returns {VitestCount}
 */
export function countVitest(report, exitCode, root) {
  if (!report) return { passed: 0, failed: 1, notes: [`no report (exit ${exitCode})`], skipped: [], failures: [], files: [], tests: [] };
  const files = report.testResults ?? [];
  const rel = (/** @type {string} */ f) => path.relative(root, f);
  const brokenFiles = files.filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed"));
  // A describe block's hook leaves no message in the JSON report (vitest 4): say where to look.
  const notes = brokenFiles.map(
    (f) => `${rel(f.name)} failed outside its tests: ${firstLine(f.message) || "a hook in a describe block failed (its error is in the output above)"}`,
  );
  let failed = report.numFailedTests + brokenFiles.length;
  if (exitCode !== 0 && failed === 0) {
    failed = 1;
    notes.push(`vitest exited ${exitCode} with no failed test: an unhandled error or a teardown error (see its output)`);
  }
  const okFiles = files.filter((f) => !brokenFiles.includes(f));
  return {
    passed: report.numPassedTests,
    failed,
    notes,
    // The tests of a file that failed in a hook are counted once, as that failure, not as skips.
    skipped: okFiles.flatMap((f) =>
      (f.assertionResults ?? []).filter((a) => SKIPPED.includes(a.status)).map((a) => `${rel(f.name)} › ${a.fullName ?? a.title}`),
    ),
    // Named at the end of the output, with the first line of their error: CI logs are cut at the top.
    failures: files.flatMap((f) =>
      (f.assertionResults ?? [])
        .filter((a) => a.status === "failed")
        .map((a) => `${rel(f.name)} › ${a.fullName ?? a.title}: ${firstLine((a.failureMessages ?? [])[0])}`),
    ),
    files: files.map((f) => ({ name: rel(f.name), seconds: ((f.endTime ?? 0) - (f.startTime ?? 0)) / 1000 })),
    tests: files.flatMap((f) =>
      (f.assertionResults ?? []).map((a) => ({ name: `${rel(f.name)} › ${a.fullName ?? a.title}`, seconds: (a.duration ?? 0) / 1000 })),
    ),
  };
}

/** @param {string | undefined} message */
function firstLine(message) {
  return (message ?? "").split("\n")[0].slice(0, 200);
}
