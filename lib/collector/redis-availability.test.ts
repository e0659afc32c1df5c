import { describe, expect, it } from "vitest";
import { redisAvailability } from "./redis-availability";

const base = { masterUp: true, layerAddress: undefined, addressCheckOut: false, cluster: undefined };

describe("redisAvailability on a Sentinel deployment", () => {
  it("without a layer path, goes by whether a master answers", () => {
    expect(redisAvailability(base)).toEqual({ available: true, availabilityDetail: "master answers", upForLayers: true });
    expect(redisAvailability({ ...base, masterUp: false })).toMatchObject({ available: false, upForLayers: false });
  });

  it("judges the layers as in an outage when their address leads to a replica, though reads work", () => {
    const r = redisAvailability({ ...base, layerAddress: { state: "replica", detail: "the address answers as a replica (READONLY)" } });
    expect(r).toEqual({ available: true, availabilityDetail: "the address answers as a replica (READONLY)", upForLayers: false });
  });

  it("says the address is unreachable in its own words", () => {
    const r = redisAvailability({ ...base, layerAddress: { state: "unreachable", detail: "connection refused" } });
    expect(r).toEqual({ available: false, availabilityDetail: "the layers' Redis address: connection refused", upForLayers: false });
  });

  it("does not take an old answer while a check is out and no master answers", () => {
    const r = redisAvailability({ masterUp: false, layerAddress: { state: "master", detail: "ok" }, addressCheckOut: true, cluster: undefined });
    expect(r).toEqual({
      available: false,
      availabilityDetail: "the layers' Redis address has not answered yet; no master answers",
      upForLayers: false,
    });
  });

  it("keeps the address's answer while a check is out and a master answers", () => {
    const r = redisAvailability({ masterUp: true, layerAddress: { state: "master", detail: "writes accepted" }, addressCheckOut: true, cluster: undefined });
    expect(r).toEqual({ available: true, availabilityDetail: "writes accepted", upForLayers: true });
  });
});
