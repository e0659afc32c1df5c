import { describe, expect, it } from "vitest";
import { parseSwitchMaster, pickMaster, splitAddress } from "./master-choice";

describe("pickMaster", () => {
  it("takes the majority of answering sentinels", () => {
    expect(pickMaster(["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:2"], "127.0.0.1:1")).toBe("127.0.0.1:2");
  });
  it("ignores sentinels that did not answer", () => {
    expect(pickMaster([null, null, "127.0.0.1:2"], "127.0.0.1:1")).toBe("127.0.0.1:2");
    expect(pickMaster([null, null, null], "127.0.0.1:1")).toBeNull();
  });
  it("keeps the current master on a tie", () => {
    expect(pickMaster(["127.0.0.1:2", "127.0.0.1:1", null], "127.0.0.1:1")).toBe("127.0.0.1:1");
  });
});

describe("parseSwitchMaster", () => {
  it("reads the new address for our master name only", () => {
    expect(parseSwitchMaster("mymaster 127.0.0.1 6400 127.0.0.1 6401", "mymaster")).toBe("127.0.0.1:6401");
    expect(parseSwitchMaster("other 127.0.0.1 6400 127.0.0.1 6401", "mymaster")).toBeNull();
    expect(parseSwitchMaster("garbage", "mymaster")).toBeNull();
  });
  it("splits addresses", () => {
    expect(splitAddress("127.0.0.1:6401")).toEqual({ host: "127.0.0.1", port: 6401 });
  });
});
