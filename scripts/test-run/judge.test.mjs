import { describe, expect, it } from "vitest";
import { countVitest } from "./judge.mjs";

const ROOT = "/repo";
/** @param {string} status @param {string} title */
const test = (status, title) => ({ status, title, fullName: title, duration: 10 });
/** @param {string} name @param {string} status @param {ReturnType<typeof test>[]} tests @param {string} [message] */
const file = (name, status, tests, message) => ({ name: `${ROOT}/${name}`, status, message, startTime: 0, endTime: 2000, assertionResults: tests });

describe("countVitest", () => {
  it("counts a clean run as its passed tests", () => {
    const report = { numPassedTests: 2, numFailedTests: 0, testResults: [file("a.test.ts", "passed", [test("passed", "x"), test("passed", "y")])] };
    expect(countVitest(report, 0, ROOT)).toMatchObject({ passed: 2, failed: 0, notes: [], skipped: [], files: [{ name: "a.test.ts", seconds: 2 }] });
  });

  it("fails a file whose beforeAll threw, once, and does not list its tests as skipped", () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 0,
      testResults: [
        file("ok.test.ts", "passed", [test("passed", "x")]),
        file("hook.test.ts", "failed", [test("skipped", "a"), test("skipped", "b")], "Error: Hook timed out in 120000ms.\nmore"),
      ],
    };
    const r = countVitest(report, 1, ROOT);
    expect(r).toMatchObject({ passed: 1, failed: 1, skipped: [] });
    expect(r.notes).toEqual(["hook.test.ts failed outside its tests: Error: Hook timed out in 120000ms."]);
  });

  it("fails a run that exited non-zero with every test passed (an unhandled error, an afterAll error)", () => {
    const report = { numPassedTests: 3, numFailedTests: 0, testResults: [file("a.test.ts", "passed", [test("passed", "x")])] };
    const r = countVitest(report, 1, ROOT);
    expect(r.failed).toBe(1);
    expect(r.notes[0]).toMatch(/exited 1 with no failed test/);
  });

  it("counts failed tests once, not again for their file or the exit code", () => {
    const report = { numPassedTests: 0, numFailedTests: 2, testResults: [file("a.test.ts", "failed", [test("failed", "x"), test("failed", "y")])] };
    expect(countVitest(report, 1, ROOT)).toMatchObject({ failed: 2, notes: [] });
  });

  it("names skipped tests of files that ran, and fails a run with no report", () => {
    const report = {
      numPassedTests: 1,
      numFailedTests: 0,
      testResults: [file("a.test.ts", "passed", [test("passed", "x"), test("skipped", "needs promtool")])],
    };
    expect(countVitest(report, 0, ROOT).skipped).toEqual(["a.test.ts › needs promtool"]);
    expect(countVitest(null, 1, ROOT)).toMatchObject({ failed: 1, notes: ["no report (exit 1)"] });
  });
});

describe("countVitest failures", () => {
  it("names each failed test with the first line of its error, for the end of a cut CI log", () => {
    const failed = { ...test("failed", "stalls"), failureMessages: ["AssertionError: expected 1 to be 2\n    at x.ts:1"] };
    const report = { numPassedTests: 1, numFailedTests: 1, testResults: [file("a.test.ts", "failed", [test("passed", "x"), failed])] };
    expect(countVitest(report, 1, ROOT).failures).toEqual(["a.test.ts › stalls: AssertionError: expected 1 to be 2"]);
  });
});
