/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite and the Prisma adapters must stay outside Next's bundle so that route handlers and
  // server.ts share one instance through the registry on globalThis (see lib/registry.ts).
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/client",
    "pg",
    "@prisma/schema-engine-wasm",
    "@prisma/driver-adapter-utils",
  ],
  poweredByHeader: false,
  reactStrictMode: true,
};
export default nextConfig;
