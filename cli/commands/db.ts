/** `studio migrate` and `studio seed`: the database steps `npm start` runs. */
import { getDb } from "@/db/client";
import { migrateDatabase } from "@/db/migrate";
import { DEMO_LOGINS, seedAdmin, seedDemo } from "@/db/seed";
import { env } from "@/lib/env";

export async function runMigrate(): Promise<number> {
  const conn = getDb();
  await migrateDatabase(conn);
  console.log(`Database migrated (${conn.dialect}).`);
  return 0;
}

/** Printed whenever the demo is seeded with NODE_ENV=production: its passwords are in the README. */
export const DEMO_IN_PRODUCTION_WARNING =
  "WARNING: NODE_ENV=production and the demo users were seeded (--demo or SEED_DEMO=true). Their passwords are published in the README: " +
  "anyone can sign in as their admin. Disable them (admin → Users) or start from an empty database without SEED_DEMO.";

/** `studio seed`: the first admin from ADMIN_EMAIL/ADMIN_PASSWORD; the demo only when asked (--demo or SEED_DEMO=true). */
export async function runSeed(argv: string[]): Promise<number> {
  const e = env();
  const demo = argv.includes("--demo") || e.SEED_DEMO === true;
  const quiet = argv.includes("--quiet");
  if (await seedAdmin({ email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD })) console.log(`Created admin ${e.ADMIN_EMAIL}.`);
  if (demo) {
    if (e.NODE_ENV === "production") console.warn(`\n${DEMO_IN_PRODUCTION_WARNING}\n`);
    const r = await seedDemo();
    console.log(`Demo: ${r.usersCreated} users created, ${r.promptsAdded} prompts added to the demo project.`);
    if (r.generationQueued) console.log("Demo: queued a job to write the demo completions with the demo model (runs once the server is up).");
    if (!quiet) printDemoLogins();
  }
  return 0;
}

export function printDemoLogins(): void {
  console.log("\nDemo logins (sign in at /login):");
  for (const l of DEMO_LOGINS) console.log(`  ${l.role.padEnd(10)} ${l.email.padEnd(24)} ${l.password}`);
  console.log("");
}
