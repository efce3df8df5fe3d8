import { openStore } from "@/lib/db/store";
for (const t of ["main", "worker", "main", "worker"] as const) {
  const s = await openStore({ pgliteThread: t });
  for (let i = 0; i < 200; i++) await s.prisma.user.findFirst();
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) await s.prisma.user.findFirst();
  const t1 = performance.now();
  for (let i = 0; i < 100; i++) await s.prisma.$transaction(async (tx) => { await tx.user.findFirst(); await tx.user.count(); });
  const t2 = performance.now();
  console.log(`${t}: findFirst ${((t1 - t0) / 1000).toFixed(3)} ms each; 2-query interactive tx ${((t2 - t1) / 100).toFixed(2)} ms each`);
  await s.close();
}
