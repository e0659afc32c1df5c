"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePresentMode } from "../live/use-present-mode";
import { operatorKey, useOperator } from "./use-operator";

export function OperatorBadge() {
  const { data } = useOperator();
  const client = useQueryClient();
  const present = usePresentMode();
  if (present || !data) return null;
  if (!data.operator) {
    return (
      <Link href="/login" className="rounded-md px-3 py-1.5 text-sm font-semibold text-accent ring-1 ring-accent/40 hover:bg-panel-2">
        Operator login
      </Link>
    );
  }
  return (
    <button
      type="button"
      onClick={async () => {
        await fetch("/api/auth/logout", { method: "POST", signal: AbortSignal.timeout(3000) });
        await client.invalidateQueries({ queryKey: operatorKey });
      }}
      className="rounded-md px-3 py-1.5 text-sm font-semibold text-ok ring-1 ring-ok/40 hover:bg-panel-2"
      title="Log out"
    >
      Operator ✓ · Log out
    </button>
  );
}
