"use client";

import Link from "next/link";
import type { ChaosRun } from "@/lib/chaos/types";
import { RunPanel } from "./run-panel";
import { useRun } from "./use-chaos";

export function RunPageView({ initial }: { initial: ChaosRun }) {
  const run = useRun(initial.id).data ?? initial;
  return (
    <div className="flex flex-col gap-4">
      <Link href="/chaos" className="text-sm text-accent hover:underline">
        ← Chaos lab
      </Link>
      <RunPanel run={run} />
    </div>
  );
}
