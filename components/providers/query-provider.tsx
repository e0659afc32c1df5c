"use client";

import { QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { makeQueryClient } from "@/lib/query/make-query-client";
import { useDeployment } from "../live/use-deployment";

function ScopedQueryProvider({ children }: { children: React.ReactNode }) {
  const [client] = useState(makeQueryClient);
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}

/** One query cache per deployment on screen: switching deployments never shows one's data under the other's name. */
export function QueryProvider({ children }: { children: React.ReactNode }) {
  return <ScopedQueryProvider key={useDeployment() ?? ""}>{children}</ScopedQueryProvider>;
}
