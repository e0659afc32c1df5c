import { FleetView } from "@/components/fleet/fleet-view";
import { getFleetFeed } from "@/lib/fleet/fleet-feed";

export const dynamic = "force-dynamic";

/** Every deployment at a glance; first paint is the server's current fleet. */
export default function FleetPage() {
  return <FleetView initial={getFleetFeed().payload()} />;
}
