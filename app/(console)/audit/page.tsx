import { AuditView } from "@/components/access/audit-view";
import { requirePageRole } from "@/lib/auth/page-access";

export const dynamic = "force-dynamic";

export default async function AuditPage() {
  await requirePageRole("admin", null);
  return <AuditView />;
}
