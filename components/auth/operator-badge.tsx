"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePresentMode } from "../live/use-present-mode";
import { AccessMenu } from "./access-menu";
import { operatorKey, useOperator } from "./use-operator";

/** Who is signed in (and their role on the deployments), with sign-out; or the way to sign in. */
export function OperatorBadge() {
  const { data } = useOperator();
  const client = useQueryClient();
  const present = usePresentMode();
  if (present || !data || data.kind === "viewer-link") return null;
  if (!data.signedIn) {
    return (
      <Link href="/login" className="rounded-md px-3 py-1.5 text-sm font-semibold text-accent ring-1 ring-accent/40 hover:bg-panel-2">
        {data.oidc ? "Sign in" : "Operator login"}
      </Link>
    );
  }
  // Viewer links are made by an operator of the deployment they show.
  const operatorSomewhere = Object.values(data.roles).some((r) => r === "operator" || r === "admin");
  const label = data.kind === "break-glass" ? "Operator ✓" : `${data.email ?? data.actor} · ${data.admin ? "admin" : (data.grants[0]?.role ?? "no role")}`;
  return (
    <div className="flex items-center gap-2">
      {operatorSomewhere && <AccessMenu admin={data.admin} />}
      <button
        type="button"
        onClick={async () => {
          const res = await fetch("/api/auth/logout", { method: "POST", signal: AbortSignal.timeout(3000) });
          const body = (await res.json().catch(() => ({}))) as { endSessionUrl?: string };
          // Signed in through the identity provider: end the session there too.
          if (body.endSessionUrl) window.location.assign(body.endSessionUrl);
          await client.invalidateQueries({ queryKey: operatorKey });
        }}
        className="rounded-md px-3 py-1.5 text-sm font-semibold text-ok ring-1 ring-ok/40 hover:bg-panel-2"
        title={`Signed in as ${data.actor}. Log out`}
      >
        {label} · Log out
      </button>
    </div>
  );
}
