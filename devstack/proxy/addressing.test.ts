import { describe, expect, it } from "vitest";
import { ProxyAddressing } from "./addressing";

describe("the layers' addressing", () => {
  it("follow: new connections go to the master of now, and a switch drops the old ones", () => {
    let master = { host: "127.0.0.1", port: 1 };
    const a = new ProxyAddressing("follow", () => master);
    master = { host: "127.0.0.1", port: 2 };
    expect(a.upstream()).toEqual(master);
    expect(a.followsSwitch()).toBe(true);
  });
  it("pinned: keeps the node that was master when pinned, through a failover, until restored", () => {
    let master = { host: "127.0.0.1", port: 1 };
    const a = new ProxyAddressing("follow", () => master);
    a.set("pinned");
    master = { host: "127.0.0.1", port: 2 };
    expect(a.upstream()?.port).toBe(1);
    expect(a.pinnedTo).toBe("127.0.0.1:1");
    expect(a.followsSwitch()).toBe(false);
    expect(a.restore()).toBe(true);
    expect(a.mode).toBe("follow");
    expect(a.upstream()?.port).toBe(2);
  });
  it("a stack started pinned pins its first master, and a reset re-pins to the master of then", () => {
    let master = { host: "127.0.0.1", port: 1 };
    const a = new ProxyAddressing("pinned", () => master);
    expect(a.upstream()?.port).toBe(1);
    master = { host: "127.0.0.1", port: 2 };
    expect(a.upstream()?.port).toBe(1);
    expect(a.restore()).toBe(true);
    expect(a.upstream()?.port).toBe(2);
    expect(a.mode).toBe("pinned");
  });
});
