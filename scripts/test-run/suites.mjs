/**
 * The kinds of suite `npm test` runs, each turned into a SuiteResult: a single check (typecheck,
 * lint, build), a vitest run, a Playwright run. Any sign of failure counts: a non-zero exit, a file
 * that failed outside its tests (a throwing beforeAll/afterAll, a load error), an unhandled error.
 */
import fs from "node:fs";
import path from "node:path";
import { exec } from "./exec.mjs";
import { countVitest } from "./judge.mjs";

/** @typedef {import("./exec.mjs").SuiteIo} SuiteIo */
/** @typedef {import("./judge.mjs").Timed} Timed */
/**
 * @typedef {{ name: string, passed: number, failed: number, skipped: string[], retried: string[], seconds: string,
 *   notes: string[], failures: string[], files: Timed[], tests: Timed[] }} SuiteResult
 */
/** @typedef {{ name: string, run: (io: SuiteIo) => Promise<SuiteResult> }} SuiteSpec */
/** @typedef {{ status: string, results?: { duration?: number, error?: { message?: string } }[] }} PwTest */
/** @typedef {{ title: string, file?: string, specs?: { title: string, file?: string, tests?: PwTest[] }[], suites?: PwSuite[] }} PwSuite */

const root = process.cwd();

/** @param {string} file @returns {any} */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

/** @param {string} name @param {string} seconds @param {Partial<SuiteResult>} r @returns {SuiteResult} */
const result = (name, seconds, r) => ({ name, passed: 0, failed: 0, skipped: [], retried: [], notes: [], failures: [], files: [], tests: [], seconds, ...r });

/**
 * A single pass/fail check (typecheck, lint, build).
 * @param {string} name @param {string} cmd @param {string[]} args @param {SuiteIo} io @returns {Promise<SuiteResult>}
 */
export async function check(name, cmd, args, io) {
  const r = await exec(cmd, args, io);
  return result(name, r.seconds, { passed: r.code === 0 ? 1 : 0, failed: r.code === 0 ? 0 : 1, files: [{ name, seconds: Number(r.seconds) }] });
}

/**
 * A vitest run, read from its JSON report and its exit code.
 * @param {string} name @param {string} config @param {string} tmp @param {SuiteIo} io @returns {Promise<SuiteResult>}
 */
export async function vitest(name, config, tmp, io) {
  const out = path.join(tmp, `${name}.json`);
  const r = await exec("npx", ["vitest", "run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`], io);
  return result(name, r.seconds, countVitest(readJson(out), r.code, root));
}

/**
 * Every test of a Playwright JSON report, flattened with its title path and file.
 * @param {PwSuite} suite @param {string[]} [titles] @returns {{ name: string, file: string, test: PwTest }[]}
 */
function playwrightTests(suite, titles = []) {
  const here = suite.title ? [...titles, suite.title] : titles;
  return [
    ...(suite.specs ?? []).flatMap((spec) =>
      (spec.tests ?? []).map((t) => ({ name: [...here, spec.title].join(" › "), file: `e2e/${spec.file ?? suite.file ?? "?"}`, test: t })),
    ),
    ...(suite.suites ?? []).flatMap((s) => playwrightTests(s, here)),
  ];
}

/** @param {string} tmp @param {SuiteIo} io @returns {Promise<SuiteResult>} */
export async function playwright(tmp, io) {
  const out = path.join(tmp, "e2e.json");
  const r = await exec("npx", ["playwright", "test"], io, { PW_JSON_REPORT: out });
  const report = readJson(out);
  if (!report?.stats) return result("e2e", r.seconds, { failed: 1, notes: [`no report (exit ${r.code})`] });
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats;
  const tests = /** @type {PwSuite[]} */ (report.suites ?? []).flatMap((s) => playwrightTests(s));
  const seconds = (/** @type {PwTest} */ t) => (t.results ?? []).reduce((s, x) => s + (x.duration ?? 0), 0) / 1000;
  /** @type {Map<string, number>} */
  const perFile = new Map();
  for (const t of tests) perFile.set(t.file, (perFile.get(t.file) ?? 0) + seconds(t.test));
  // A run that exits non-zero with no failed test failed in its set-up or teardown (a web server, a global hook).
  const setupFailed = r.code !== 0 && unexpected === 0 ? 1 : 0;
  return result("e2e", r.seconds, {
    passed: expected + flaky,
    failed: unexpected + setupFailed,
    notes: setupFailed ? [`playwright exited ${r.code} with no failed test: set-up or teardown failed (see its output)`] : [],
    skipped: tests.filter((t) => t.test.status === "skipped").map((t) => t.name),
    // A test that needed a second try is named: a retry must never hide flakiness.
    retried: tests.filter((t) => (t.test.results ?? []).length > 1).map((t) => t.name),
    failures: tests
      .filter((t) => t.test.status === "unexpected")
      .map(
        (t) =>
          `${t.file} › ${t.name}: ${stripAnsi(t.test.results?.at(-1)?.error?.message ?? "")
            .split("\n")[0]
            .slice(0, 300)}`,
      ),
    files: [...perFile].map(([name, s]) => ({ name, seconds: s })),
    tests: tests.map((t) => ({ name: `${t.file} › ${t.name}`, seconds: seconds(t.test) })),
  });
}

/** @param {string} s */
function stripAnsi(s) {
  return s.replace(/\u001b\[[0-9;]*m/g, "");
}
