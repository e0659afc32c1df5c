import { describe, expect, it } from "vitest";
import { formatSlots, parseClusterInfo, parseClusterNodes, slotCount } from "./cluster-info";

// CLUSTER NODES of redis-server 7.0.15 in this sandbox, seen from node-2 after node-1 (18000) was killed and came back.
const NODES = [
  "177ae87f5292dd23ae498d07316da8ad910601c8 127.0.0.1:18005@18025 slave 710800a46261a8b2e086d0a1406d2820e9dc950d 0 1796179577000 2 connected",
  "dab6118548045a789c9928b3e00ac48845bc6688 127.0.0.1:18000@18020 slave,fail? fc214285154b2816f937ff940585c5e08b7f009d 1796179577000 1796179577609 7 disconnected",
  "710800a46261a8b2e086d0a1406d2820e9dc950d 127.0.0.1:18001@18021,node2.local myself,master - 0 1796179577000 2 connected 5461-10922",
  "fc214285154b2816f937ff940585c5e08b7f009d 127.0.0.1:18004@18024 master - 0 1796179577000 7 connected 0-5460",
  "c509cc8b76c1baecebf94dd2203a1ebb87682198 127.0.0.1:18002@18022 master,fail - 0 1796179577000 3 connected 10923-16000 16001 16002-16383 [16001->-fc214285154b2816f937ff940585c5e08b7f009d]",
].join("\n");

describe("parseClusterNodes", () => {
  const entries = parseClusterNodes(NODES + "\n");

  it("reads id, address, bus port, role and master of each line", () => {
    expect(entries).toHaveLength(5);
    expect(entries[0]).toMatchObject({ host: "127.0.0.1", port: 18005, busPort: 18025, role: "replica", masterId: "710800a46261a8b2e086d0a1406d2820e9dc950d" });
    expect(entries[2]).toMatchObject({ port: 18001, role: "master", masterId: null, myself: true, configEpoch: 2, slots: [[5461, 10922]] });
    expect(entries.filter((e) => e.myself)).toHaveLength(1);
  });

  it("tells a suspicion (fail?) from an agreed failure (fail), and the link state", () => {
    expect(entries[1]).toMatchObject({ failing: "pfail", linkState: "disconnected" });
    expect(entries[4].failing).toBe("fail");
    expect(entries[3].failing).toBeNull();
  });

  it("reads single slots and ranges and leaves migrating/importing markers out", () => {
    expect(entries[4].slots).toEqual([
      [10923, 16000],
      [16001, 16001],
      [16002, 16383],
    ]);
    expect(slotCount(entries[4].slots)).toBe(16383 - 10923 + 1);
    expect(formatSlots(entries[4].slots)).toBe("10923-16000,16001,16002-16383");
  });
});

describe("parseClusterInfo", () => {
  it("reads the state and the slot counts", () => {
    const info = parseClusterInfo(
      "cluster_state:fail\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:10923\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:5461\r\n" +
        "cluster_known_nodes:6\r\ncluster_size:3\r\ncluster_current_epoch:7\r\ncluster_my_epoch:2\r\n",
    );
    expect(info).toEqual({ state: "fail", slotsAssigned: 16384, slotsOk: 10923, slotsPfail: 0, slotsFail: 5461, knownNodes: 6, size: 3, currentEpoch: 7 });
  });

  it("reads an empty reply as unknown with nothing assigned", () => {
    expect(parseClusterInfo("")).toMatchObject({ state: "unknown", slotsAssigned: 0 });
  });
});
