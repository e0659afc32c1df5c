import { describe, expect, it } from "vitest";
import { Thresholds } from "../config/schema";
import { prometheusRules, prometheusRulesYaml } from "./prometheus-rules";
import { ALERT_RULES } from "./rules";

const defaults = Thresholds.parse({});

describe("prometheusRules", () => {
  it("exports every console rule under the same name", () => {
    expect(prometheusRules(defaults, "mymaster").map((r) => r.alert)).toEqual(ALERT_RULES.map((r) => r.rule));
  });

  it("uses redis_exporter metric names and the configured thresholds", () => {
    const rules = Object.fromEntries(
      prometheusRules(Thresholds.parse({ connectedClients: 321, memoryUsedRatio: 0.75, missRatio: 0.4, forkSeconds: 2 }), "mymaster").map((r) => [
        r.alert,
        r.expr,
      ]),
    );
    expect(rules.redis_up).toBe("redis_up == 0");
    expect(rules.redis_too_many_masters).toBe('count(redis_instance_info{role="master"}) > 1');
    expect(rules.redis_connected_clients).toBe("redis_connected_clients > 321");
    expect(rules.redis_memory_used_ratio).toContain("redis_memory_used_bytes / (redis_memory_max_bytes > 0) > 0.75");
    expect(rules.redis_keyspace_miss_ratio).toMatch(/redis_keyspace_misses_total.*redis_keyspace_hits_total.*> 0\.4/);
    expect(rules.redis_latest_fork_seconds).toBe("redis_latest_fork_seconds > 2");
    expect(rules.redis_replication_link_down).toContain("redis_master_link_up == 0");
    expect(rules.redis_persistence_failing).toBe("redis_aof_last_write_status == 0 or redis_rdb_last_bgsave_status == 0");
    expect(rules.sentinel_quorum).toBe('redis_sentinel_master_ckquorum_status{master_name="mymaster"} == 0');
  });

  it("drops a master name that could break the PromQL string", () => {
    expect(prometheusRules(defaults, 'evil"} or vector(1) #').find((r) => r.alert === "sentinel_quorum")!.expr).toBe(
      "redis_sentinel_master_ckquorum_status == 0",
    );
  });
});

describe("prometheusRulesYaml", () => {
  it("writes one group with every rule, quoted so PromQL braces and quotes survive YAML", () => {
    const yaml = prometheusRulesYaml(defaults, "mymaster", "sandbox");
    expect(yaml).toMatch(/^# Alerting rules/);
    expect(yaml).toContain("groups:\n  - name: redis-resilience-guide\n    rules:\n");
    expect(yaml.match(/^ {6}- alert: /gm)).toHaveLength(ALERT_RULES.length);
    expect(yaml).toContain('expr: "redis_sentinel_master_ckquorum_status{master_name=\\"mymaster\\"} == 0"');
    expect(yaml).toContain("severity: page");
  });
});
