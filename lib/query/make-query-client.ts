import { QueryClient } from "@tanstack/react-query";

/** The one QueryClient factory: live data comes over SSE, so queries never refetch on focus. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 1_000, refetchOnWindowFocus: false, retry: 1 },
    },
  });
}
