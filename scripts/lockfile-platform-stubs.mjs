// The npm registry these machines reach serves only Linux builds of platform-specific optional
// packages (@next/swc-*, @tailwindcss/oxide-*), so `npm install` leaves the others out of
// package-lock.json and `npm ci` then refuses the lock file as out of sync. This adds the
// missing entries, marked optional with their os/cpu, so npm skips them on this platform as it
// would with a lock file written on an unrestricted registry. Idempotent; run after `npm install`.
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2] ?? "package-lock.json";
const lock = JSON.parse(readFileSync(file, "utf8"));
const OS = ["darwin", "win32", "freebsd", "android", "linux", "sunos", "openbsd", "netbsd", "aix"];
const CPU = ["arm64", "x64", "ia32", "arm", "wasm32", "s390x", "ppc64", "riscv64", "loong64"];
const added = [];
for (const meta of Object.values(lock.packages)) {
  for (const [dep, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key]) continue;
    const base = dep.split("/").pop();
    const os = OS.find((o) => base.includes(o));
    const cpu = CPU.find((c) => new RegExp(`(^|[-_])${c}($|[-_])`).test(base));
    lock.packages[key] = { version, optional: true, ...(os ? { os: [os] } : {}), ...(cpu ? { cpu: [cpu] } : {}) };
    added.push(dep);
  }
}
if (added.length) writeFileSync(file, JSON.stringify(lock, null, 2) + "\n");
console.log(added.length ? `lock file: added ${added.length} platform stubs` : "lock file: no platform stubs needed");
