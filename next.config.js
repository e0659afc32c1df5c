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
};

export default nextConfig;
