import Link from "next/link";
import { getDeployments } from "@/lib/collector/instance";

/** A page that does not exist, or `?deployment=` naming a deployment this console does not watch. */
export default function ConsoleNotFound() {
  const deployments = getDeployments();
  return (
    <div data-testid="not-found" className="mx-auto flex max-w-xl flex-col gap-3 py-16">
      <h1 className="text-2xl font-bold">Not found</h1>
      <p className="text-muted">
        There is no such page or deployment here. The console&apos;s areas are Overview, Memory, Sentinel, Cluster, Chaos, Timeline and Config.
      </p>
      {deployments.all.length > 1 && (
        <p data-testid="known-deployments" className="text-muted">
          Deployments watched: {deployments.names().join(", ")} (the default is {deployments.default.name}).
        </p>
      )}
      <Link href="/" className="text-accent hover:underline">
        ← Overview
      </Link>
    </div>
  );
}
