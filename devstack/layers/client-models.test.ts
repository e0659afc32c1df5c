import { describe, expect, it } from "vitest";
import { redisRsBackoffMs } from "./client-models";
import { redisErrorClass, redisErrorText } from "./layer-redis";

describe("redis-rs ConnectionManager backoff", () => {
  it("doubles from 100 ms over 6 tries, then starts a new series", () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7].map((t) => redisRsBackoffMs(t, noJitter))).toEqual([100, 200, 400, 800, 1600, 3200, 100]);
    expect(redisRsBackoffMs(1, () => 0.999)).toBeLessThanOrEqual(200);
  });
});

describe("Redis error classes", () => {
  it("names READONLY, also inside a MULTI's EXECABORT", () => {
    expect(redisErrorClass(new Error("READONLY You can't write against a read only replica."))).toBe("READONLY");
    const execAbort = Object.assign(new Error("EXECABORT Transaction discarded because of previous errors."), {
      previousErrors: [new Error("READONLY You can't write against a read only replica.")],
    });
    expect(redisErrorClass(execAbort)).toBe("READONLY");
    expect(redisErrorText(execAbort)).toMatch(/^READONLY You can't write/);
  });
  it("tells refused, timeout and other errors apart", () => {
    expect(redisErrorClass(new Error("connect ECONNREFUSED 127.0.0.1:1"))).toBe("refused");
    expect(redisErrorClass(new Error("Connection is closed."))).toBe("refused");
    expect(redisErrorClass(new Error("Command timed out"))).toBe("timeout");
    expect(redisErrorClass(new Error("OOM command not allowed"))).toBe("error");
    expect(redisErrorText(new Error("Connection is closed."))).toBe("refused: Connection is closed.");
  });
});
