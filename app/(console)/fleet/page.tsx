import { FleetView } from "@/components/fleet/fleet-view";
import { requirePageRole } from "@/lib/auth/page-access";
import { getFleetFeed } from "@/lib/fleet/fleet-feed";

export const dynamic = "force-dynamic";

/** Every deployment at a glance; first paint is the server's current fleet. */
export default async function FleetPage() {
  await requirePageRole("viewer", null);
  return <FleetView initial={await getFleetFeed().freshPayload()} />;
}
