import { redirect } from "next/navigation";
import { ViewerLinksView } from "@/components/access/viewer-links-view";
import { pagePrincipal } from "@/lib/auth/page-access";
import { allows } from "@/lib/auth/roles";
import { getDeployments } from "@/lib/collector/instance";

export const dynamic = "force-dynamic";

export default async function ViewerLinksPage() {
  const p = await pagePrincipal();
  const mine = getDeployments()
    .names()
    .filter((d) => p && allows(p.grants, "operator", d));
  if (mine.length === 0) redirect(`/login${p && p.kind !== "anonymous" ? "?missing=operator+on+a+deployment+needed" : ""}`);
  return <ViewerLinksView deployments={mine} />;
}
