/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // NEXT_DIST_DIR lets two builds coexist (e.g. one under test while another is built).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // ioredis is server-only and uses Node built-ins: keep it out of the bundler.
  serverExternalPackages: ["ioredis"],
  // The devstack's test dirs hold Redis data; never watch or trace them.
  outputFileTracingExcludes: { "*": [".devstack/**", ".devstack-*/**"] },
  // The API's security headers (pages get theirs, with a CSP nonce, from proxy.ts): static here,
  // where they cost nothing per request. JSON and SSE need no script-src: default-src 'none'.
  async headers() {
    return [
      {
        // Not the viewer gateway: it answers with the headers of the page it redacts (that page's CSP nonce).
        source: "/api/:path((?!viewer-gateway$).*)",
        headers: [
          { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "no-referrer" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
