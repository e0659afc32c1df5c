import "server-only";
/**
 * What a chaos target can do, as capabilities a scenario is written against once (not a control
 * client): each with its undo, and a TTL on the target's side so the fault ends even when the
 * console dies mid-run. Every target answers every capability, how it offers it or why it lacks
 * it (`CapabilitiesOf` is a full record, so a new capability does not compile until each target
 * answers it); `offeredBy` turns a scenario into a target's answer, a 400 naming what it lacks.
 */
import type { z } from "zod";
import type { AddressingAnswer, ConnectionsReleased, ExhaustAnswer, FaultAnswer, NodeActionAnswer, ProxyCleared } from "../contract/control-answers";
import type { AddressingRequest, ExhaustRequest, LatencyRequest } from "../contract/control-requests";
import type { TrafficStats } from "../contract/workload-answers";
import type { RunContext } from "./run-context";
import type { AnyScenario, Scenario, TargetScenario } from "./scenario";

/** `exhaust-connections`: Redis refuses new connections while the target holds every free one on the master. */
export interface ExhaustConnections {
  /** Holds connections until maxclients minus the headroom are in use, for at most `ttlSeconds`. */
  exhaustConnections(fault: ExhaustRequest): Promise<ExhaustAnswer>;
  /** The undo: closes them, and says how many connections the master refused while they were held. */
  releaseConnections(): Promise<ConnectionsReleased>;
}

/** `add-latency`: every round trip between the layers and Redis slowed, at a fault proxy. */
export interface AddLatency {
  /** Adds `ms` (± jitter) for at most `ttlSeconds`. */
  proxyLatency(fault: LatencyRequest): Promise<FaultAnswer>;
  /** The undo: every fault at the proxy lifted. */
  clearProxyFaults(): Promise<ProxyCleared>;
}

/** `drive-traffic`: steady requests to the layers whose latencies and errors the target counts. */
export interface DriveTraffic {
  startTraffic(rps?: number): Promise<TrafficStats>;
  trafficStats(): Promise<TrafficStats>;
  /** Counts and percentiles start over, so the next read covers only what follows. */
  resetTrafficStats(): Promise<TrafficStats>;
  /** The undo. */
  stopTraffic(): Promise<TrafficStats>;
}

/** `restart-master`: a node killed (-9) and started again on its own data; the sandbox's supervisor starts it again on /reset too. */
export interface RestartNode {
  restartNode(name: string): Promise<NodeActionAnswer>;
}

/** `set-addressing`: the layers' address follows the master or stays pinned to one node, for a TTL. */
export interface SetAddressing {
  addressing(): Promise<AddressingAnswer>;
  setAddressing(request: AddressingRequest): Promise<AddressingAnswer>;
  /** The undo: back to the target's own mode. */
  clearAddressing(): Promise<AddressingAnswer>;
}

/** Every capability a scenario may ask for, and what a target that has it offers. */
export interface CapabilityOffers {
  "exhaust-connections": ExhaustConnections;
  "add-latency": AddLatency;
  "drive-traffic": DriveTraffic;
  "restart-master": RestartNode;
  "set-addressing": SetAddressing;
}
export type CapabilityId = keyof CapabilityOffers;

/** Why a target cannot do something; the start of a scenario that needs it answers 400 with it. */
export interface Lacking {
  lacks: string;
}

/** A target's answer for every capability: how it offers it, from its control client `C`, or why it cannot. */
export type CapabilitiesOf<C> = { [K in CapabilityId]: ((control: C) => CapabilityOffers[K]) | Lacking };

/** A scenario written once: the capabilities it needs are its `ctx.control`. */
export interface CapabilityScenario<P, N extends CapabilityId> extends Scenario<P, Pick<CapabilityOffers, N>> {
  needs: readonly N[];
}

/** The scenario as a target with `capabilities` answers it: run with them, or unavailable naming the first it lacks. */
export function offeredBy<C, P, N extends CapabilityId>(
  scenario: CapabilityScenario<P, N>,
  capabilities: { [K in N]: (control: C) => CapabilityOffers[K] },
): AnyScenario<C>;
export function offeredBy<C, P, N extends CapabilityId>(scenario: CapabilityScenario<P, N>, capabilities: CapabilitiesOf<C>): TargetScenario<C>;
export function offeredBy<C, P, N extends CapabilityId>(
  scenario: CapabilityScenario<P, N>,
  capabilities: Partial<Record<CapabilityId, ((control: C) => unknown) | Lacking>>,
): TargetScenario<C> {
  const offerers: [N, (control: C) => unknown][] = [];
  for (const need of scenario.needs) {
    const offer = capabilities[need]!;
    if ("lacks" in offer) return { unavailable: `this target lacks the "${need}" capability: ${offer.lacks}` };
    offerers.push([need, offer]);
  }
  const offers = (control: C) => Object.fromEntries(offerers.map(([need, offer]) => [need, offer(control)])) as Pick<CapabilityOffers, N>;
  return {
    info: scenario.info,
    params: scenario.params as z.ZodType<unknown>,
    // The runner parsed the params with this scenario's own schema, so they are its P.
    run: (ctx: RunContext<unknown, C>) => scenario.run(ctx.withControl(offers(ctx.control)) as RunContext<P, Pick<CapabilityOffers, N>>),
  };
}
