"use client";

import { useSearchParams } from "next/navigation";
import { useCallback } from "react";

/** The deployment on screen: `?deployment=name`, or null for the default. */
export function useDeployment(): string | null {
  return useSearchParams().get("deployment") || null;
}

/** `path` with `deployment` added to its query (unchanged for the default deployment). */
export function withDeployment(path: string, deployment: string | null): string {
  if (!deployment) return path;
  return `${path}${path.includes("?") ? "&" : "?"}deployment=${encodeURIComponent(deployment)}`;
}

/** Turns an API path into the one for the deployment on screen, so every fetch reads what the page shows. */
export function useApiPath(): (path: string) => string {
  const deployment = useDeployment();
  return useCallback((path: string) => withDeployment(path, deployment), [deployment]);
}
