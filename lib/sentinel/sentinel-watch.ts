import "server-only";
/**
 * Sentinel failover state, live: listens to every sentinel's events, folds them into failover
 * progress and history, writes one timeline entry per event (however many sentinels reported
 * it), and asks the collector for an immediate look when the failover moves — so a
 * `+switch-master` reaches the browser without waiting for the next tick.
 */
import type { ConsoleConfig } from "../config/schema";
import type { ConnectionAuth } from "../redis/connection-auth";
import type { NodeSnapshot, SentinelSnapshot } from "../snapshot/types";
import type { TimelineStore } from "../collector/timeline-store";
import type { NodeInfo } from "../redis/info";
import { describeSentinelEvent } from "./event-describe";
import { EventDeduper, type ReportGroup } from "./event-dedupe";
import { parseSentinelEvent } from "./event-parse";
import { SentinelEventSubscriber } from "./event-subscriber";
import type { Records } from "../store/records";
import { FailoverStore } from "./failover-store";
import { FailoverTracker } from "./failover-tracker";
import type { FailoverRecord } from "./types";
import { foldReplicas } from "./replicas";
import type { SentinelExtras } from "./sentinel-extras";

/** Events only the acting sentinel publishes: nothing to wait for before writing them down. */
const SINGLE_REPORTER =
  /^(\+try-failover|\+elected-leader|\+failover-state-|\+selected-slave|\+promoted-slave|\+slave-reconf-|\+failover-end|-failover-abort|\+convert-to-slave|\+fix-slave-config|[+-]tilt)/;
/** Events that move the failover (or a sentinel's ability to act): look again at once. */
const URGENT = new Set([
  "+sdown",
  "-sdown",
  "+odown",
  "-odown",
  "+try-failover",
  "+elected-leader",
  "+selected-slave",
  "+promoted-slave",
  "+failover-state-reconf-slaves",
  "+failover-end",
  "+failover-end-for-timeout",
  "+switch-master",
  "+convert-to-slave",
  "+tilt",
  "-tilt",
]);
const HISTORY_IN_SNAPSHOT = 20;

/** The node INFO the collector already sampled this tick (no extra Redis calls). */
export type NodeSampleLike = { id: string; addr: string; up: true; info: NodeInfo } | { id: string; addr: string; up: false };

export class SentinelWatch {
  private subscribers: SentinelEventSubscriber[] = [];
  private readonly tracker: FailoverTracker;
  private readonly deduper = new EventDeduper();
  private flushTimer: NodeJS.Timeout | null = null;
  private tiltByEvent = new Map<string, boolean>();
  private names = new Map<string, string>();

  constructor(
    private config: ConsoleConfig,
    private readonly timeline: TimelineStore,
    private readonly lookNow: () => void,
    /** The sentinels' user, password and TLS. */
    auth: ConnectionAuth,
    /** This deployment's failover history in the store (null: memory only). */
    failovers: Records<FailoverRecord> | null = null,
  ) {
    const store = new FailoverStore(failovers);
    this.tracker = new FailoverTracker({
      masterName: config.redis.masterName,
      history: store.load(),
      nodeId: (addr) => (addr ? (this.config.redis.nodes.find((n) => `${n.host}:${n.port}` === addr)?.id ?? null) : null),
      onRecord: (r) => store.save(r),
    });
    this.connect(config, auth);
  }

  /** The failover history, newest first (what the store keeps). */
  history(): FailoverRecord[] {
    return this.tracker.history();
  }

  /** (Re)subscribes to the sentinels of `config`; the failover history carries over. */
  connect(config: ConsoleConfig, auth: ConnectionAuth): void {
    this.closeSubscribers();
    this.config = config;
    const all = [...config.redis.nodes, ...config.redis.sentinels];
    this.names = new Map(all.map((x) => [`${x.host}:${x.port}`, x.id]));
    this.subscribers = config.redis.sentinels.map(
      (s) =>
        new SentinelEventSubscriber(
          s.id,
          s.host,
          s.port,
          config.timeouts.redisMs,
          (id, channel, message, at) => this.onMessage(id, channel, message, at),
          undefined,
          auth,
        ),
    );
  }

  close(): void {
    this.closeSubscribers();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    for (const g of this.deduper.due(Number.POSITIVE_INFINITY)) this.publish(g);
  }

  /** The collector's `sentinel` block, extended with failover progress, history, tilt and replicas. */
  /** `askedAt`: when the look that read `base`'s sentinel views began. */
  extend(base: SentinelSnapshot, samples: NodeSampleLike[], extras: SentinelExtras, nodes: NodeSnapshot[], askedAt = Date.now()): SentinelSnapshot {
    const now = Date.now();
    const running = this.tracker.progress();
    const lost = running.active ? nodes.find((n) => n.addr === running.oldMaster && !n.up) : undefined;
    if (lost) this.tracker.noteMasterLost(lost.addr, Date.parse(lost.since));
    const stillDown = base.blind ? null : base.sentinels.some((v) => v.up && v.flags.some((f) => f === "s_down" || f === "o_down"));
    this.tracker.expire(now, stillDown, askedAt);
    const history = this.tracker.history();
    const lastSwitch = history.find((r) => r.outcome === "completed" || r.outcome === "timed-out");
    const readings = samples.map((s) => ({ id: s.id, addr: s.addr, up: s.up, info: s.up ? s.info : null, lastRole: nodes.find((n) => n.id === s.id)?.role }));
    for (const [id, tilt] of extras.tilt) if (tilt !== null) this.tiltByEvent.set(id, tilt);
    return {
      ...base,
      sentinels: base.sentinels.map((v) => ({
        ...v,
        tilt: v.up ? (extras.tilt.get(v.id) ?? this.tiltByEvent.get(v.id) ?? null) : null,
        eventsLive: this.subscribers.find((s) => s.id === v.id)?.live ?? false,
      })),
      failover: this.tracker.progress(),
      history: history.slice(0, HISTORY_IN_SNAPSHOT),
      replicas: foldReplicas(
        base.blind ? null : extras.replicas,
        readings,
        base.master.addr,
        lastSwitch ? { addr: lastSwitch.oldMaster, rejoined: !!lastSwitch.oldMasterRejoinedAt } : null,
      ),
    };
  }

  private onMessage(sentinel: string, channel: string, message: string, at: number): void {
    const event = parseSentinelEvent(channel, message);
    if (!event) return;
    if (event.type === "+tilt" || event.type === "-tilt") this.tiltByEvent.set(sentinel, event.type === "+tilt");
    this.tracker.ingest(sentinel, event, at);
    const live = this.subscribers.filter((s) => s.live).length;
    const groups = this.deduper.add(sentinel, event, SINGLE_REPORTER.test(event.type) ? 1 : live, at);
    groups.forEach((g) => this.publish(g));
    this.scheduleFlush();
    if (URGENT.has(event.type) && (event.masterName === null || event.masterName === this.config.redis.masterName)) this.lookNow();
  }

  private publish(g: ReportGroup): void {
    const entry = describeSentinelEvent(g.event, g.reporters, (addr) => this.names.get(addr) ?? addr);
    if (entry) this.timeline.append({ kind: "sentinel", at: new Date(g.firstAt).toISOString(), ...entry });
  }

  private scheduleFlush(): void {
    const due = this.deduper.nextDueAt();
    if (due === null || this.flushTimer) return;
    this.flushTimer = setTimeout(
      () => {
        this.flushTimer = null;
        this.deduper.due(Date.now()).forEach((g) => this.publish(g));
        this.scheduleFlush();
      },
      Math.max(0, due - Date.now()),
    );
  }

  private closeSubscribers(): void {
    for (const s of this.subscribers) s.close();
    this.subscribers = [];
  }
}
