import { TokensView } from "@/components/access/tokens-view";
import { requirePageRole } from "@/lib/auth/page-access";
import { getDeployments } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default async function TokensPage() {
  await requirePageRole("admin", null);
  return <TokensView deployments={getDeployments().names()} />;
}
