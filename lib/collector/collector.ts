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
import { sampleSentinelExtras } from "../sentinel/sentinel-extras";
import { SentinelWatch } from "../sentinel/sentinel-watch";
import type { LayerAddressView, Snapshot } from "../snapshot/types";
import { AlertTracker } from "./alert-tracker";
import { ClusterMode } from "./cluster-mode";
import { redisAvailability } from "./redis-availability";
import { deploymentState, emptySnapshot } from "./first-snapshot";
import { checkLayerAddress } from "./layer-address";
import { carryKnown, connectionProblems, diffSnapshots } from "./changes";
import { LayerVerdicts } from "./layer-verdicts";
import { LayerProber } from "./layer-probes";
import { layerCards } from "./layer-cards";
import { SnapshotChannel, type Listener } from "./snapshot-channel";
import { settleWithin } from "./late-parts";
import { RingBuffer } from "./ring-buffer";
import { followSandboxLayout, SandboxStateWatch } from "./sandbox-follow";
import { summarizeSentinels } from "./sentinel-summary";
import { nodePoint, nodeSnapshots } from "./snapshot-parts";
import { Targets } from "./targets";
import { TimelineStore } from "./timeline-store";
import type { TimelineEvent } from "../timeline/types";
import { WarmUp } from "./warm-up";
import { LookSchedule, type LookCause } from "./look-schedule";
import { nodesChanged, type RedisLook } from "./redis-look";
import { GrafanaAnnotations } from "../incidents/grafana";
import { IncidentStore } from "../incidents/store";

/** The sandbox's layout as the console derives it; null when it cannot be (the config's own parts then stay). */
function layoutOf(dir: string): ConsoleConfig | null {
  try {
    return devstackConfig(dir);
  } catch {
    return null;
  }
}

const HISTORY_SECONDS = 3600;
/** How long a look waits for the layers' answers and their address after Redis answered (a healthy layer answers in a few ms). */
const PART_GRACE_MS = 150;

export class Collector {
  private targets: Targets;
  private stackId: string | null = null;
  /** The sandbox's state file, for a devstack deployment. */
  private readonly sandbox: SandboxStateWatch | null;
  /** The sandbox's layout as of the last state followed, to tell what the config took from it. */
  private sandboxLayout: ConsoleConfig | null;
  readonly history: RingBuffer<HistoryPoint>;
  private readonly channel: SnapshotChannel;
  private readonly verdicts = new LayerVerdicts(() => this.config.thresholds.contractGraceMs);
  private readonly prober = new LayerProber();
  private readonly alertTracker: AlertTracker;
  private alertWindow = new AlertWindow();
  private look: RedisLook | null = null;
  /** The layers' address as last checked, and the check still out. */
  private address: LayerAddressView | null = null;
  private addressOut: Promise<void> | null = null;
  /** The last look with what it could not tell carried from before it: what the timeline diffs against. */
  private known: Snapshot | null = null;
  /** Ticks that threw, since start (exported as a metric). */
  tickErrors = 0;
  private readonly schedule = new LookSchedule(
    (cause) => this.tick(cause),
    () => this.config.tickMs,
    (err) => {
      this.tickErrors++;
      this.timeline.append({ kind: "console", severity: "warn", title: "Collector tick failed", detail: err.message });
    },
  );
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
    this.channel = new SnapshotChannel(emptySnapshot(this.config, this.deployment(this.sandbox?.current() ?? null)));
    timeline.onAppend((e) => {
      this.incidents.event(e);
      if (timeline.listed(e)) this.channel.pushTimeline(e, true);
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
    return this.channel.snapshot();
  }

  /** The current snapshot, serialized once per push for every viewer. */
  snapshotJson(): string {
    return this.channel.snapshotJson();
  }

  /** The same, as the bytes the snapshot's fast path sends (encoded once per push). */
  snapshotBytes(): Buffer {
    return this.channel.snapshotBytes();
  }

  /**
   * Pushes an event read from the store (the lease holder's, or another replica's chaos step) to
   * the stream's viewers, unless the stream showed it already; not into this replica's timeline
   * or incident fold, which keep its own sightings (lib/store/timeline-follow.ts).
   */
  pushFollowed(e: TimelineEvent): boolean {
    return this.channel.pushFollowed(e);
  }

  subscribe(fn: Listener): () => void {
    return this.channel.subscribe(fn);
  }

  start(): void {
    this.warmUp = new WarmUp(Date.now());
    storeState().lease.setWarmingUp(this.config.deployment, true);
    this.timeline.append({
      kind: "console",
      severity: "info",
      title: `Console started, watching ${this.config.deployment}`,
      detail: `tick ${this.config.tickMs} ms, source ${this.config.source}`,
    });
    this.loopDelay.enable();
    this.schedule.start(this.discoverCluster());
  }

  stop(): void {
    this.schedule.stop();
    storeState().lease.setWarmingUp(this.config.deployment, false);
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

  /** Look again now (a connection dropped, a sentinel announced a switch); coalesced with a running look (look-schedule.ts). */
  requestTick(): void {
    this.schedule.request();
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
    const late = await settleWithin(parts, nodesChanged(this.channel.snapshot(), samples) ? 0 : PART_GRACE_MS);
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
    if (!look || this.schedule.isStopped) return;
    const { config, targets } = this;
    const { samples, views, sentinelExtras, devstack } = look;
    const layerAddress = targets.layerPath ? (this.address ?? undefined) : undefined;
    const prev = this.channel.snapshot();
    const nowIso = new Date().toISOString();
    const nodes = nodeSnapshots(samples, prev.redis.nodes, nowIso);
    const masterUp = nodes.some((n) => n.up && n.role === "master");
    const { available, availabilityDetail, upForLayers } = redisAvailability({
      masterUp,
      layerAddress,
      addressCheckOut: this.addressOut !== null,
      cluster: look.cluster,
    });
    const layers = layerCards(config.layers, { verdicts: this.verdicts, prober: this.prober }, upForLayers, prev, nowIso, look.cluster);
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
    if (changes.length > 0) this.schedule.sawChange();
    this.history.push({
      t: Date.parse(nowIso),
      nodes: Object.fromEntries(nodes.map((n) => [n.id, nodePoint(n)])),
      layers: Object.fromEntries(layers.map((l) => [l.id, { status: l.status, latencyMs: l.observed.latencyMs }])),
    });
    this.channel.publish(next, () => {
      if (!warming) this.incidents.observe(next);
    });
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
}
