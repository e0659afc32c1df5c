import { describe, expect, it } from "vitest";
import { parseStackState } from "./devstack-state";
import { sampleState } from "./fixtures/state";

describe("the state file's schema", () => {
  it("reads what the supervisor writes, ready or still starting", () => {
    expect(parseStackState(JSON.stringify(sampleState()))).toEqual(sampleState());
    const starting = sampleState({ ready: false, proxy: null, control: null, layers: [] });
    expect(parseStackState(JSON.stringify(starting))).toEqual(starting);
  });
  it("refuses a file of another shape rather than handing out half a state", () => {
    const { password: _password, ...noPassword } = sampleState();
    expect(parseStackState(JSON.stringify(noPassword))).toBeNull();
    expect(parseStackState(JSON.stringify({ ...sampleState(), layers: [{ id: "L9", port: 1, url: "x" }] }))).toBeNull();
    expect(parseStackState("{half a fi")).toBeNull();
  });
});
