"use client";

import { useSyncExternalStore } from "react";

const never = () => () => {};

/**
 * False in the server's HTML and until React has hydrated the component, true after. A form's
 * submit button waits for it: a click (or Enter) before hydration would submit natively, as a GET
 * with every field in the URL (the operator token included, on the login form).
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
