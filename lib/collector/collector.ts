import "server-only";
import { recordsStatus, storeState } from "../store/instance";
import type { IncidentRecords, Records } from "../store/records";
import type { FailoverRecord } from "../sentinel/types";
import { isClusterFailover, type StoredClusterFailover } from "../cluster/failover-follow";
import type { ObservedFailover } from "../store/observed-records";
import { monitorEventLoopDelay } from "node:perf_hooks";
/**
 * The collector: one per server process, shared by every viewer. Each tick it samples every
 * node (one INFO), every sentinel, the layers' Redis path and each layer (real requests), judges
 * the layers against the contract, evaluates alerts, remembers, and pushes one serialized
 * snapshot to all subscribers. Viewers never cause Redis calls.
 */
import type Redis from "ioredis";
import { AlertWindow } from "../alerts/alert-window";
import { devstackConfig, resolveConnections } from "../config/load";
import type { DevstackState } from "../config/devstack-state";
import type { ConsoleConfig } from "../config/schema";
import type { HistoryPoint } from "../history/types";
import type { NodeInfo } from "../redis/info";
import { sampleSentinelExtras, type SentinelExtras } from "../sentinel/sentinel-extras";
import { SentinelWatch } from "../sentinel/sentinel-watch";
import type { LayerAddressView, SentinelView, Snapshot } from "../snapshot/types";
import { AlertTracker } from "./alert-tracker";
import { ClusterMode } from "./cluster-mode";
import { downShards } from "../cluster/availability";
import { redisAvailability } from "./redis-availability";
import { deploymentState, emptySnapshot } from "./first-snapshot";
import type { ClusterSnapshot } from "../snapshot/cluster-types";
import { checkLayerAddress } from "./layer-address";
import { carryKnown, connectionProblems, diffSnapshots } from "./changes";
import { LayerVerdicts } from "./layer-verdicts";
import { LayerProber } from "./layer-probes";
import { settleWithin } from "./late-parts";
import type { NodeSample } from "./node-sampler";
import { RingBuffer } from "./ring-buffer";
import { followSandboxLayout, SandboxStateWatch } from "./sandbox-follow";
import { summarizeSentinels } from "./sentinel-summary";
import { nodePoint, nodeSnapshot } from "./snapshot-parts";
import { Targets } from "./targets";
import { TimelineStore } from "./timeline-store";
import { StreamedEvents } from "../store/streamed-events";
import type { TimelineEvent } from "../timeline/types";
import { WarmUp } from "./warm-up";
import { GrafanaAnnotations } from "../incidents/grafana";
import { IncidentStore } from "../incidents/store";

type Listener = (event: "snapshot" | "timeline", json: string) => void;

/** The sandbox's layout as the console derives it; null when it cannot be (the config's own parts then stay). */
function layoutOf(dir: string): ConsoleConfig | null {
  try {
    return devstackConfig(dir);
  } catch {
    return null;
  }
}

const HISTORY_SECONDS = 3600;
/** Extra looks (a dropped connection, a sentinel event, a change) come at most this often. */
const MIN_LOOK_GAP_MS = 200;
/** How long a look waits for the layers' answers and their address after Redis answered (a healthy layer answers in a few ms). */
const PART_GRACE_MS = 150;
/** A probe out this long is said on the layer's card (healthy layers answer in well under that). */
const SLOW_PROBE_MS = 1000;

type LookCause = Snapshot["tick"]["cause"];

/** What the last look at Redis saw; each push is built from it and the layers' latest answers. */
interface RedisLook {
  samples: NodeSample[];
  views: SentinelView[];
  sentinelExtras: SentinelExtras;
  devstack: DevstackState | null;
  durationMs: number;
  /** Why this look ran: its turn on the tick, or an event that asked for it (a +switch-master, a node down). */
  cause: LookCause;
  startedAt: string;
  /** On a Redis Cluster: its shards, views and failovers as this look saw them. */
  cluster?: ClusterSnapshot;
}

/** A node came up, went down or changed role since the last push. */
function nodesChanged(prev: Snapshot, samples: NodeSample[]): boolean {
  return samples.some((s) => {
    const p = prev.redis.nodes.find((n) => n.id === s.id);
    return !p || p.up !== s.up || (s.up && p.role !== (s.info.role === "master" ? "master" : s.info.role === "replica" ? "replica" : "unknown"));
  });
}

export class Collector {
  private targets: Targets;
  private stackId: string | null = null;
  /** The sandbox's state file, for a devstack deployment. */
  private readonly sandbox: SandboxStateWatch | null;
  /** The sandbox's layout as of the last state followed, to tell what the config took from it. */
  private sandboxLayout: ConsoleConfig | null;
  readonly history: RingBuffer<HistoryPoint>;
  private current: Snapshot;
  private currentJson: string;
  private currentBytes: Buffer;
  private listeners = new Set<Listener>();
  /** What the stream pushed: events followed from the store go out once (lib/store/streamed-events.ts). */
  private readonly streamed = new StreamedEvents();
  private readonly verdicts = new LayerVerdicts(() => this.config.thresholds.contractGraceMs);
  private readonly prober = new LayerProber();
  private readonly alertTracker: AlertTracker;
  private alertWindow = new AlertWindow();
  private timer: NodeJS.Timeout | null = null;
  private look: RedisLook | null = null;
  /** The layers' address as last checked, and the check still out. */
  private address: LayerAddressView | null = null;
  private addressOut: Promise<void> | null = null;
  private ticking = false;
  private tickAgain = false;
  /** An event asked for a look since the last one began (the next look is then an "event" look). */
  private lookRequested = false;
  private changedLastTick = false;
  /** The last look with what it could not tell carried from before it: what the timeline diffs against. */
  private known: Snapshot | null = null;
  private started = false;
  private stopped = false;
  private lastTickStart = 0;
  /** Ticks that threw, since start (exported as a metric). */
  tickErrors = 0;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  private readonly sentinelWatch: SentinelWatch;
  /** Set on a Redis Cluster deployment (config `redis.cluster`). */
  private readonly clusterMode: ClusterMode | null;
  /** Incidents folded from the timeline and each tick's state. */
  readonly incidents: IncidentStore;
  /** Until every node and layer has answered once: no alert, no incident, no change news (the console connecting is not the deployment failing). */
  private warmUp = new WarmUp(Date.now());

  constructor(
    private config: ConsoleConfig,
    readonly timeline: TimelineStore,
    /** This deployment's failover history in the store, Sentinel's or the Cluster's (undefined/null: memory only). */
    failovers?: Records<FailoverRecord | StoredClusterFailover> | null,
    /** This deployment's incidents in the store (undefined/null: memory only). */
    incidentRecords?: IncidentRecords | null,
  ) {
    // INCIDENTS_SETTLE_MS overrides the config's settle period (tests, demos that cannot wait a minute).
    const settleEnv = Number(process.env.INCIDENTS_SETTLE_MS);
    this.incidents = new IncidentStore(incidentRecords ?? null, () =>
      Number.isInteger(settleEnv) && settleEnv >= 0 && process.env.INCIDENTS_SETTLE_MS ? settleEnv : this.config.incidents.settleMs,
    );
    const grafana = GrafanaAnnotations.fromEnv(config.deployment);
    if (grafana)
      this.incidents.onChange(
        (kind, i, m) => void (kind === "opened" ? grafana.incidentOpened(i) : kind === "closed" ? grafana.incidentClosed(i) : m && grafana.failover(i, m)),
      );
    const dir = config.source === "devstack" ? config.devstack?.dir : undefined;
    this.sandbox = dir === undefined ? null : new SandboxStateWatch(dir, () => this.requestTick());
    this.sandboxLayout = dir === undefined ? null : layoutOf(dir);
    this.stackId = this.sandbox?.current()?.stackId ?? null;
    this.alertTracker = new AlertTracker((e) => this.timeline.append(e));
    const connections = resolveConnections(config);
    const saved = failovers?.initial ?? [];
    const clusterRecords: Records<StoredClusterFailover> | null = failovers
      ? { initial: saved.filter(isClusterFailover), save: (r) => failovers.save(r) }
      : null;
    const sentinelRecords: Records<FailoverRecord> | null = failovers
      ? { initial: saved.filter((r): r is FailoverRecord => !isClusterFailover(r)), save: (r) => failovers.save(r) }
      : null;
    this.clusterMode = config.redis.cluster ? new ClusterMode(config, clusterRecords) : null;
    this.targets = new Targets(config, connections, () => this.requestTick(), this.clusterMode?.initialNodes());
    this.sentinelWatch = new SentinelWatch(config, timeline, () => this.requestTick(), connections.sentinel, sentinelRecords);
    this.history = new RingBuffer(Math.ceil((HISTORY_SECONDS * 1000) / config.tickMs) + 60);
    this.current = emptySnapshot(this.config, this.deployment(this.sandbox?.current() ?? null));
    this.currentJson = JSON.stringify(this.current);
    this.currentBytes = Buffer.from(this.currentJson);
    timeline.onAppend((e) => {
      this.incidents.event(e);
      if (timeline.listed(e)) this.pushTimeline(e, true);
    });
  }

  get settings(): ConsoleConfig {
    return this.config;
  }

  /** The failovers this console followed (and read from the store), as the store keeps them. */
  failoverRecords(): ObservedFailover[] {
    return this.clusterMode ? this.clusterMode.failoverRecords() : this.sentinelWatch.history();
  }

  /** The live node clients (rebuilt when the sandbox is replaced), for slow-cadence readers: CONFIG GET, SCAN. */
  nodeClients(): { id: string; addr: string; redis: Redis }[] {
    return this.targets.nodes.map((n) => ({ id: n.id, addr: n.addr, redis: n.redis }));
  }

  /** The last INFO of each node, for /api/metrics' exporter-style per-command and per-db metrics. */
  nodeInfo(id: string): NodeInfo | null {
    return this.targets.nodes.find((n) => n.id === id)?.lastInfo ?? null;
  }

  /** The live sentinel clients, for slow-cadence readers (SENTINEL MASTER settings). */
  sentinelClients(): { id: string; addr: string; redis: Redis }[] {
    return this.targets.sentinels.map((s) => ({ id: s.id, addr: s.addr, redis: s.redis }));
  }

  snapshot(): Snapshot {
    return this.current;
  }

  /** The current snapshot, serialized once per tick for every viewer. */
  snapshotJson(): string {
    return this.currentJson;
  }

  /** The same, as the bytes the snapshot's fast path sends (encoded once per push). */
  snapshotBytes(): Buffer {
    return this.currentBytes;
  }

  /** Pushes a timeline event to the stream's viewers, once per id; `own` when this replica recorded it. */
  private pushTimeline(e: TimelineEvent, own: boolean): void {
    if (this.streamed.has(e.id)) return;
    this.streamed.pushed(e, own);
    this.broadcast("timeline", JSON.stringify(e));
  }

  /**
   * Pushes an event read from the store (the lease holder's, or another replica's chaos step) to
   * the stream's viewers, unless the stream showed it already; not into this replica's timeline
   * or incident fold, which keep its own sightings (lib/store/timeline-follow.ts).
   */
  pushFollowed(e: TimelineEvent): boolean {
    if (!this.streamed.isNew(e)) return false;
    this.pushTimeline(e, false);
    return true;
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    this.started = true;
    this.warmUp = new WarmUp(Date.now());
    storeState().lease.setWarmingUp(this.config.deployment, true);
    this.timeline.append({
      kind: "console",
      severity: "info",
      title: `Console started, watching ${this.config.deployment}`,
      detail: `tick ${this.config.tickMs} ms, source ${this.config.source}`,
    });
    this.loopDelay.enable();
    void this.discoverCluster().then(() => this.loop());
  }

  stop(): void {
    this.stopped = true;
    storeState().lease.setWarmingUp(this.config.deployment, false);
    if (this.timer) clearTimeout(this.timer);
    this.targets.close();
    this.sentinelWatch.close();
    this.sandbox?.close();
  }

  /** On a cluster, the nodes come from the seeds' topology; then every client gets its chance to connect. */
  private async discoverCluster(): Promise<void> {
    if (this.clusterMode) await this.clusterMode.discover(this.targets, resolveConnections(this.config).node);
    await this.targets.settled(this.config.timeouts.redisMs);
  }

  /** The cluster sandbox was restarted (new cluster id and password): new clients, rediscovered. */
  private async followClusterSandbox(): Promise<void> {
    if (!this.clusterMode?.sandboxReplaced()) return;
    this.targets.close();
    this.targets = new Targets(this.config, resolveConnections(this.config), () => this.requestTick(), this.clusterMode.initialNodes());
    this.timeline.append({ kind: "console", severity: "info", title: "Cluster sandbox (re)started: console reconnected" });
    await this.discoverCluster();
  }

  /** Look again now (a connection dropped, a sentinel announced a switch); coalesced with a running tick. */
  requestTick(): void {
    // Before start the first look is still waiting for the clients to settle.
    if (this.stopped || !this.started) return;
    this.lookRequested = true;
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    // At most ~5 extra looks a second, so a flapping connection cannot turn into load; a request
    // inside that gap is deferred to its end, not dropped (a +switch-master must not wait a tick).
    const wait = MIN_LOOK_GAP_MS - (Date.now() - this.lastTickStart);
    if (this.timer) clearTimeout(this.timer);
    if (wait > 0) this.timer = setTimeout(() => void this.loop(), wait);
    else void this.loop();
  }

  private async loop(): Promise<void> {
    if (this.stopped || this.ticking) return;
    this.ticking = true;
    this.lastTickStart = Date.now();
    const cause: LookCause = this.lookRequested ? "event" : "schedule";
    this.lookRequested = false;
    try {
      await this.tick(cause);
    } catch (err) {
      this.tickErrors++;
      this.timeline.append({ kind: "console", severity: "warn", title: "Collector tick failed", detail: (err as Error).message });
    } finally {
      this.ticking = false;
    }
    if (this.stopped) return;
    const again = this.tickAgain;
    const soon = this.changedLastTick;
    this.tickAgain = false;
    this.changedLastTick = false;
    const elapsed = Date.now() - this.lastTickStart;
    const wait = again ? 0 : soon ? Math.max(0, MIN_LOOK_GAP_MS - elapsed) : Math.max(0, this.config.tickMs - elapsed);
    this.timer = setTimeout(() => void this.loop(), wait);
  }

  /**
   * The sandbox was replaced (new stack id and password, maybe new ports): reconnect every client
   * (nodes, the layers' path, sentinel subscribers), whether the layout came from the state
   * file alone or from a CONSOLE_CONFIG deployment with `source: devstack`.
   */
  private async followDevstack(state: DevstackState | null): Promise<void> {
    const dir = this.config.devstack?.dir;
    if (!state || state.stackId === this.stackId || dir === undefined) return;
    const id = state.stackId;
    this.stackId = id;
    this.targets.close();
    const layout = layoutOf(dir);
    if (this.sandboxLayout && layout) this.config = followSandboxLayout(this.config, this.sandboxLayout, layout);
    this.sandboxLayout = layout;
    // New clients read the new password from the state file.
    const connections = resolveConnections(this.config);
    this.targets = new Targets(this.config, connections, () => this.requestTick());
    this.address = null;
    this.addressOut = null;
    this.sentinelWatch.connect(this.config, connections.sentinel);
    this.timeline.append({ kind: "console", severity: "info", title: "Sandbox (re)started: console reconnected", detail: `stack ${id}` });
    await this.targets.settled(this.config.timeouts.redisMs);
  }

  private async tick(cause: LookCause): Promise<void> {
    const started = Date.now();
    // One look at the sandbox's state file per tick (a stat; a read when it changed), for following it and for the chaos verdict.
    const devstack = this.sandbox?.current() ?? null;
    await this.followDevstack(devstack);
    await this.followClusterSandbox();
    const { config, targets } = this;
    // The layers' answers and their Redis address are asked for first but not awaited with
    // Redis's own look: a slow layer (a platform client waiting out its own Redis timeout) or a
    // frozen master behind the address lands in a push of its own, and never holds back the
    // news about the nodes.
    const parts = [this.checkAddress(), ...config.layers.map((l) => this.prober.observe(l, config.timeouts.probeMs))];
    const [samples, views, sentinelExtras, topology] = await Promise.all([
      Promise.all(targets.nodes.map((n) => n.sample())),
      Promise.all(targets.sentinels.map((s) => s.sample())),
      sampleSentinelExtras(
        targets.sentinels.map((s) => ({ id: s.id, redis: s.redis })),
        config.redis.masterName,
      ),
      // A cluster's one topology read a tick, beside the nodes' INFO.
      this.clusterMode?.readTopology(targets.nodes) ?? null,
    ]);
    const clusterPart = this.clusterMode && topology ? this.clusterMode.fold(samples, topology, targets) : null;
    for (const e of clusterPart?.events ?? []) this.timeline.append({ kind: "redis", ...e });
    this.look = {
      samples,
      views,
      sentinelExtras,
      devstack,
      durationMs: Date.now() - started,
      cause,
      startedAt: new Date(started).toISOString(),
      ...(clusterPart ? { cluster: clusterPart.cluster } : {}),
    };
    // A node that changed is news now; otherwise the parts get a moment, so a healthy look is one coherent push.
    const late = await settleWithin(parts, nodesChanged(this.current, samples) ? 0 : PART_GRACE_MS);
    for (const p of late) void p.then(() => this.publish());
    this.publish();
  }

  /** The layers' address checked with ROLE, never two at once (a frozen master behind it costs one check). */
  private checkAddress(): Promise<unknown> {
    const { layerPath } = this.targets;
    if (!layerPath) return Promise.resolve();
    const targets = this.targets;
    this.addressOut ??= checkLayerAddress(layerPath, this.config.timeouts.redisMs, this.config.redis.username).then((v) => {
      // An answer from clients since replaced (the sandbox restarted) says nothing about the new ones.
      if (targets === this.targets && (v.state !== "unreachable" || targets.layerPathConnected)) this.address = v;
      this.addressOut = null;
    });
    return this.addressOut;
  }

  /** Builds and pushes a snapshot from the last look at Redis and the layers' latest answers. No Redis calls. */
  private publish(): void {
    const look = this.look;
    if (!look || this.stopped) return;
    const { config, targets } = this;
    const { samples, views, sentinelExtras, devstack } = look;
    const layerAddress = targets.layerPath ? (this.address ?? undefined) : undefined;
    const prev = this.current;
    const nowIso = new Date().toISOString();
    const nodes = samples.map((s) => {
      const p = prev.redis.nodes.find((n) => n.id === s.id);
      const changed = !p || p.up !== s.up || (s.up && p.role !== (s.info.role === "master" || s.info.role === "replica" ? s.info.role : "unknown"));
      return nodeSnapshot(s, p, changed ? nowIso : p.since);
    });
    const masterUp = nodes.some((n) => n.up && n.role === "master");
    const { available, availabilityDetail, upForLayers } = redisAvailability({
      masterUp,
      layerAddress,
      addressCheckOut: this.addressOut !== null,
      cluster: look.cluster,
    });
    const layers = config.layers.map((l) => {
      const verdict = this.verdicts.judge(l.id, this.prober.latest(l), upForLayers, prev, nowIso);
      // One shard down while the others serve: whether this probe touched it is not known, so it is not judged.
      const judged =
        upForLayers === null
          ? { ...verdict, summary: `${verdict.summary} · not judged: ${downShards(look.cluster!).join(", ") || "a shard"} down while the other shards serve` }
          : verdict;
      const waitingMs = this.prober.waitingMs(l);
      // A probe out longer than a healthy layer ever takes is said on the card: the answer shown is older.
      return waitingMs !== null && waitingMs >= SLOW_PROBE_MS
        ? { ...judged, waitingMs, summary: `${judged.summary} · no answer yet to a probe sent ${(waitingMs / 1000).toFixed(1)} s ago` }
        : judged;
    });
    const sentinel = this.sentinelWatch.extend(
      // A cluster has no Sentinel: no master address is made up from the nodes (each shard has its own).
      summarizeSentinels(config.redis.masterName, views, look.cluster ? [] : nodes, config.redis.sentinels.length),
      samples,
      sentinelExtras,
      nodes,
      Date.parse(look.startedAt),
    );
    const warming = this.warmUp.update(nodes, layers, Date.parse(nowIso), sentinel.sentinels);
    storeState().lease.setWarmingUp(this.config.deployment, warming);
    const evaluated = this.alertWindow.evaluate(Date.parse(nowIso), nodes, sentinel, config.thresholds, layerAddress, look.cluster);
    const alerts = this.alertTracker.track(
      warming ? evaluated.map((a) => (a.firing ? { ...a, firing: false, summary: `not judged while the console warms up: ${a.summary}` } : a)) : evaluated,
      prev,
      nowIso,
    );
    const next: Snapshot = {
      at: nowIso,
      seq: prev.seq + 1,
      deployment: this.deployment(devstack),
      tick: { ms: config.tickMs, durationMs: look.durationMs, eventLoopLagMs: this.takeEventLoopLag(), cause: look.cause, lookStartedAt: look.startedAt },
      thresholds: { memoryUsedRatio: config.thresholds.memoryUsedRatio },
      redis: { available, availabilityDetail, ...(layerAddress ? { layerAddress } : {}), nodes },
      layers,
      sentinel,
      ...(look.cluster ? { cluster: look.cluster } : {}),
      alerts,
      ...(warming ? { warmingUp: true } : {}),
      records: recordsStatus(),
    };
    // While warming up, and at its end (nodes "back up" that were only connecting), only
    // configuration problems are news: a wrong password will not fix itself.
    const before = this.known ?? prev;
    const changes = prev.seq > 0 && !warming && !prev.warmingUp ? diffSnapshots(before, next) : connectionProblems(prev.seq > 0 ? prev : null, next);
    this.known = carryKnown(before, next);
    for (const e of changes) this.timeline.append(e);
    // A change is news: look again soon, not a whole tick later. A fault that struck mid-tick
    // (layers already failing, the node's INFO answered just before) is then confirmed at once.
    if (changes.length > 0) this.changedLastTick = true;
    this.history.push({
      t: Date.parse(nowIso),
      nodes: Object.fromEntries(nodes.map((n) => [n.id, nodePoint(n)])),
      layers: Object.fromEntries(layers.map((l) => [l.id, { status: l.status, latencyMs: l.observed.latencyMs }])),
    });
    this.current = next;
    this.currentJson = JSON.stringify(next);
    this.currentBytes = Buffer.from(this.currentJson);
    if (!warming) this.incidents.observe(next);
    this.broadcast("snapshot", this.currentJson);
  }

  private deployment(state: DevstackState | null): Snapshot["deployment"] {
    return deploymentState(this.config, this.config.devstack?.kind === "cluster" ? this.clusterMode?.sandboxState()?.ready === true : state?.ready === true);
  }

  /** p99 event-loop delay since the last tick: a console too busy to serve shows here first. */
  private takeEventLoopLag(): number {
    const ms = Math.round(this.loopDelay.percentile(99) / 1e4) / 100;
    this.loopDelay.reset();
    return ms;
  }

  private broadcast(event: "snapshot" | "timeline", json: string): void {
    for (const l of this.listeners) {
      try {
        l(event, json);
      } catch {
        /* a broken viewer must not stop the others */
      }
    }
  }
}
