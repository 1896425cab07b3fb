/**
 * `npm run worker`: claims jobs from the database and runs them until
 * stopped. Run as many as you like, on any machines sharing the database.
 */
import { parseArgs } from "node:util";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";

export async function runWorker(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { "lease-seconds": { type: "string", default: "60" }, "poll-ms": { type: "string", default: "1000" } } });
  const leaseSeconds = Number(values["lease-seconds"]);
  const pollMs = Number(values["poll-ms"]);
  if (!Number.isFinite(leaseSeconds) || leaseSeconds < 5) throw new Error(`--lease-seconds must be a number >= 5, got ${values["lease-seconds"]}`);
  if (!Number.isInteger(pollMs) || pollMs < 50) throw new Error(`--poll-ms must be an integer >= 50, got ${values["poll-ms"]}`);
  const runner = startJobRunner({ jobs: jobRegistry, leaseMs: leaseSeconds * 1000, pollMs });
  console.log(`[worker] ${runner.owner} waiting for jobs (${jobRegistry.map((j) => j.kind).join(", ")})`);
  await new Promise<void>((resolve) => {
    for (const sig of ["SIGINT", "SIGTERM"] as const) process.once(sig, () => resolve());
  });
  console.log("[worker] stopping after the current job step…");
  await runner.stop();
  return 0;
}
