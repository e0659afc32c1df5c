/**
 * Starts the services around the topology, all in the supervisor process and on 127.0.0.1:
 * the master watch, the fault proxy, the four layer stand-ins, the workloads and the control
 * API. The returned services stop in reverse order, so the control API (which undoes faults)
 * stops first and the master watch last.
 */
import type { StackContext, StackService } from "./context";
import { startControlApi } from "./control/control-api";
import { FaultBook } from "./control/fault-book";
import { startLayers } from "./layers/layers";
import { ProxyAddressing } from "./proxy/addressing";
import { FaultProxy } from "../lib/contract/fault-proxy/fault-proxy";
import { MasterWatch } from "./sentinel/master-watch";
import { portOf } from "./settings";
import type { StackState } from "./state";
import { IntegrityWriter } from "./workloads/integrity-writer";
import { TrafficWorkload } from "./workloads/traffic";

export interface StartedServices {
  services: StackService[];
  proxy: StackState["proxy"];
  control: StackState["control"];
  layers: StackState["layers"];
}

export async function startServices(ctx: StackContext): Promise<StartedServices> {
  const { settings } = ctx;
  const services: StackService[] = [];
  try {
    const watch = new MasterWatch({
      sentinels: ctx.topology.sentinels.map((s) => ({ name: s.name, port: s.port })),
      masterName: settings.masterName,
      auth: ctx.auth.sentinel,
      log: ctx.log,
    });
    services.push({ name: "master-watch", stop: () => watch.stop() });
    await watch.start();

    const proxyPort = portOf(settings, "proxy");
    const addressing = new ProxyAddressing(settings.layerAddressing, () => watch.current);
    const proxy = new FaultProxy({ port: proxyPort, upstream: () => addressing.upstream() });
    // After a failover the old connections lead to a demoted or dead node: a following address drops them, a pinned one keeps them.
    watch.on("switch", () => {
      if (!addressing.followsSwitch()) return ctx.log(`proxy: +switch-master, the layers' address stays pinned to ${addressing.pinnedTo}`);
      const dropped = proxy.dropAll();
      if (dropped) ctx.log(`proxy: dropped ${dropped} connections to follow the new master`);
    });
    await proxy.listen();
    services.push({ name: "proxy", stop: () => proxy.close() });

    const layers = await startLayers(settings, ctx.auth.layers, proxyPort, ctx.log);
    services.push(...layers.map((l) => ({ name: `layer ${l.id}`, stop: () => l.close() })));

    const traffic = new TrafficWorkload(layers.map((l) => ({ id: l.id, url: l.url })));
    const integrity = new IntegrityWriter({ watch, auth: ctx.auth.devstack });
    const faults = new FaultBook(ctx.log);
    const control = await startControlApi({ ctx, proxy, addressing, proxyPort, watch, layers, traffic, integrity, faults }, portOf(settings, "control"));
    services.push(control);
    return {
      services,
      proxy: { port: proxyPort },
      control: { port: portOf(settings, "control"), url: control.url },
      layers: layers.map((l) => ({ id: l.id, port: l.port, url: l.url })),
    };
  } catch (err) {
    for (const s of services.reverse()) await s.stop().catch(() => {});
    throw err;
  }
}
