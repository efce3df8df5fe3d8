// The trivial app the decide benchmark compares with. scripts/bench/next-trivial.ts copies this
// folder to a temp dir, links the repo's node_modules into it and builds it there.
/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // The repo's tsc already checks route.ts; a second check would only slow the one-off build.
  typescript: { ignoreBuildErrors: true },
  // node_modules is a link to the repo's install, outside the temp dir; Turbopack compiles only
  // files under its root, so the root is the folder holding both (passed in by the builder).
  turbopack: { root: process.env.BENCH_TURBOPACK_ROOT ?? process.cwd() },
};
export default nextConfig;
