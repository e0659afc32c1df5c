import "server-only";
/** The deployment a console page shows, to a viewer of it: `?deployment=` or the default; a name that matches none is the 404 page. */
import { notFound } from "next/navigation";
import { requirePageRole } from "../auth/page-access";
import type { Deployment } from "./registry";
import { lookupDeployment, type WhenAbsent } from "./resolve";

export type PageSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** Resolves a page's `?deployment=`; unknown names render not-found rather than another deployment's state. */
export async function pageDeployment(searchParams: PageSearchParams, absent: WhenAbsent = "default"): Promise<Deployment> {
  const raw = (await searchParams).deployment;
  const found = lookupDeployment(Array.isArray(raw) ? raw[0] : raw, absent);
  if (!found.ok) {
    await requirePageRole("viewer", null);
    notFound();
  }
  await requirePageRole("viewer", found.deployment.name);
  return found.deployment;
}
