import type { Metadata } from "next";
import { headers } from "next/headers";
import "./globals.css";

export const metadata: Metadata = {
  title: "Redis Resilience Console",
  description: "Redis dependency health, failover and chaos verdicts for the gateway platform",
  icons: { icon: "/icon.svg" },
  // An incident console has nothing for search engines (public/robots.txt says the same to crawlers).
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Every page renders per request: the CSP nonce (proxy.ts) must be fresh on each one.
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
