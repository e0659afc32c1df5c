import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: "Redis Resilience Console",
  description: "Redis dependency health, failover and chaos verdicts for the gateway platform",
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans antialiased">{children}</body>
    </html>
  );
}
