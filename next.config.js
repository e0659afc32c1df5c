/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // ioredis is server-only and uses Node built-ins: keep it out of the bundler.
  serverExternalPackages: ["ioredis"],
  // The devstack's test dirs hold Redis data; never watch or trace them.
  outputFileTracingExcludes: { "*": [".devstack/**", ".devstack-*/**"] },
};

export default nextConfig;
