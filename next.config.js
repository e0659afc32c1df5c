import { API_SECURITY_HEADERS } from "./lib/http/api-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // NEXT_DIST_DIR lets two builds coexist (e.g. one under test while another is built).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  // A deployable build: .next/standalone holds the server with only the node_modules it needs;
  // scripts/standalone.mjs adds the static files and scripts/serve.mjs (Dockerfile, docs/store.md).
  output: "standalone",
  experimental: {
    // proxy.ts runs on pages (and on the API for viewer sessions): Next buffers a request's body
    // for it, 10 MB by default, while the client sends it. The API's own limit is 16 KB.
    proxyClientMaxBodySize: 16 * 1024,
  },
  // ioredis, pg and PGlite (its WASM and data files beside its code) are server-only: keep them out of the bundler.
  serverExternalPackages: ["ioredis", "pg", "@electric-sql/pglite"],
  // The devstack's test dirs hold Redis data; never watch or trace them.
  outputFileTracingExcludes: { "*": [".devstack/**", ".devstack-*/**"] },
  // The API's security headers (pages get theirs, with a CSP nonce, from proxy.ts): static here,
  // where they cost nothing per request.
  async headers() {
    // Not the viewer gateway: it answers with the headers of the page it redacts (that page's CSP nonce).
    return [{ source: "/api/:path((?!viewer-gateway$).*)", headers: API_SECURITY_HEADERS }];
  },
};

export default nextConfig;
