/** What `npm test` prints at the end: the slowest files and tests, a line per suite, the total. */

/** @typedef {import("./suites.mjs").SuiteResult} SuiteResult */

/** @param {SuiteResult[]} results @param {number} [n] */
export function printSlowest(results, n = 10) {
  const top = (/** @type {import("./suites.mjs").Timed[]} */ xs) => [...xs].sort((a, b) => b.seconds - a.seconds).slice(0, n);
  const files = top(results.filter((r) => r.name === "integration" || r.name === "e2e" || r.name === "unit").flatMap((r) => r.files));
  const tests = top(results.flatMap((r) => r.tests));
  if (!files.length) return;
  console.log(`\n=== the ${n} slowest files ===`);
  for (const f of files) console.log(`${f.seconds.toFixed(1).padStart(7)}s  ${f.name}`);
  console.log(`\n=== the ${n} slowest tests ===`);
  for (const t of tests) console.log(`${t.seconds.toFixed(1).padStart(7)}s  ${t.name}`);
}

/**
 * Prints a line per suite and returns the totals. In CI a skip counts as a failure: a missing tool
 * (promtool, PostgreSQL) must not hide a check.
 * @param {SuiteResult[]} results @param {boolean} ci @param {number} wallSeconds
 */
export function printSummary(results, ci, wallSeconds) {
  console.log("\n=== summary ===");
  for (const r of results) {
    const extra = [r.skipped.length ? `${r.skipped.length} skipped` : "", r.retried.length ? `${r.retried.length} retried` : "", ...r.notes]
      .filter(Boolean)
      .join(", ");
    console.log(
      `${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds}s${extra ? `  (${extra})` : ""}`,
    );
    for (const t of r.skipped) console.log(`  skipped: ${t}`);
    for (const t of r.retried) console.log(`  retried: ${t}`);
    for (const t of r.failures) console.log(`  failed: ${t}`);
  }
  console.log(`wall time ${(wallSeconds / 60).toFixed(1)} min`);
  const passed = results.reduce((a, r) => a + r.passed, 0);
  let failed = results.reduce((a, r) => a + r.failed, 0);
  const skipped = results.reduce((a, r) => a + r.skipped.length, 0);
  if (ci && skipped) {
    console.log(`CI: ${skipped} skipped test(s) count as failed: install what they need (see the lines above)`);
    failed += skipped;
  }
  // The last line, plain, for CI.
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return { passed, failed };
}
