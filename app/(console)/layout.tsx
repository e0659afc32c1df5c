import { AppShell } from "@/components/shell/app-shell";
import { QueryProvider } from "@/components/providers/query-provider";

export default function ConsoleLayout({ children }: { children: React.ReactNode }) {
  return (
    <QueryProvider>
      <AppShell>{children}</AppShell>
    </QueryProvider>
  );
}
