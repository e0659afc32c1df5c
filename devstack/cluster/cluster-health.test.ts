import { describe, expect, it } from "vitest";
import { judgeCluster, namesById, type NodeView } from "./cluster-health";
import { parseClusterInfo, parseClusterNodes } from "../../lib/contract/cluster-info";

const ids = ["1", "2", "3", "4", "5", "6"].map((d) => d.repeat(40));
const ports = [7100, 7101, 7102, 7103, 7104, 7105];
const specs = ports.map((port, i) => ({ name: `node-${i + 1}`, port }));
// node-1..3 masters, node-4 of node-3, node-5 of node-1, node-6 of node-2 (as redis-cli created it here).
const roles: [string, string | null, string][] = [
  ["master", null, "0-5460"],
  ["master", null, "5461-10922"],
  ["master", null, "10923-16383"],
  ["slave", ids[2], ""],
  ["slave", ids[0], ""],
  ["slave", ids[1], ""],
];

function nodesText(self: number, flagsOf: (i: number) => string = () => ""): string {
  return roles
    .map(([role, master, slots], i) =>
      `${ids[i]} 127.0.0.1:${ports[i]}@${ports[i] + 20} ${i === self ? "myself," : ""}${role}${flagsOf(i)} ${master ?? "-"} 0 0 1 connected ${slots}`.trim(),
    )
    .join("\n");
}

const OK_INFO = "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\n";

function view(i: number, over: Partial<NodeView> = {}, flagsOf?: (i: number) => string): NodeView {
  const v = parseClusterNodes(nodesText(i, flagsOf));
  return {
    ...specs[i],
    answering: true,
    error: null,
    info: parseClusterInfo(OK_INFO),
    myself: v.find((e) => e.myself)!,
    view: v,
    linkUp: i >= 3 ? true : null,
    ...over,
  };
}

describe("judgeCluster", () => {
  const healthy = specs.map((_, i) => view(i));
  const names = namesById(specs, healthy);

  it("names nodes by the port their id is seen at", () => {
    expect(names[ids[4]]).toBe("node-5");
  });

  it("finds nothing wrong with 3 masters, 3 linked replicas and every slot ok", () => {
    expect(judgeCluster(healthy, names, 3)).toEqual([]);
  });

  it("names what is missing while a master is down and before the cluster agrees", () => {
    const nodes = healthy.map((v, i) =>
      i === 0
        ? { ...v, answering: false, error: "connect ECONNREFUSED", info: null, myself: null, view: [] }
        : view(
            i,
            i === 4 ? { linkUp: false, info: parseClusterInfo(OK_INFO.replace("slots_ok:16384", "slots_ok:10923").replace("pfail:0", "pfail:5461")) } : {},
            (j) => (j === 0 ? ",fail?" : ""),
          ),
    );
    const problems = judgeCluster(nodes, names, 3);
    expect(problems).toContain("node-1 (port 7100) does not answer: connect ECONNREFUSED");
    expect(problems).toContain("node-5: cluster_slots_ok:10923 (pfail 5461, fail 0)");
    expect(problems).toContain("node-5: replica link to node-1 is down");
    expect(problems).toContain("node-2 sees node-1 as pfail");
  });

  it("names cluster_state:fail and unassigned slots", () => {
    const nodes = healthy.map((v, i) => (i === 2 ? { ...v, info: parseClusterInfo("cluster_state:fail\r\ncluster_slots_assigned:10923\r\n") } : v));
    expect(judgeCluster(nodes, names, 3)).toEqual(["node-3: cluster_state:fail", "node-3: cluster_slots_assigned:10923 of 16384"]);
  });

  it("calls a returned master without slots and its orphaned replica out", () => {
    // node-5 took node-1's slots; node-1 came back and still says master, with no slots yet.
    const nodes = healthy.map((v) => {
      if (v.name === "node-5")
        return { ...v, myself: { ...v.myself!, role: "master" as const, masterId: null, slots: [[0, 5460]] as [number, number][] }, linkUp: null };
      if (v.name === "node-1") return { ...v, myself: { ...v.myself!, slots: [] } };
      return v;
    });
    expect(judgeCluster(nodes, names, 3)).toEqual([
      "master node-5 has no replica",
      "node-1 is a master without slots (a returned node not yet turned into a replica)",
    ]);
  });
});
