/** Runs queued jobs with a real runner until one job ends, for integration tests. */
import { getJob, type JobRow } from "@/db/queries/jobs";
import type { JobDefinition } from "@/lib/jobs/define";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";

export async function waitForJob(id: string, statuses: readonly string[] = ["succeeded", "failed", "cancelled"], timeoutMs = 60_000): Promise<JobRow> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const job = await getJob({ id });
    if (job && statuses.includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} never reached ${statuses.join("/")}`);
}

/** Starts a runner over `jobs` (the production registry by default), waits for job `id` to end, stops the runner. */
export async function runJobToEnd(id: string, opts: { jobs?: readonly JobDefinition[]; leaseMs?: number } = {}): Promise<JobRow> {
  const runner = startJobRunner({ jobs: opts.jobs ?? jobRegistry, pollMs: 20, leaseMs: opts.leaseMs, log: () => {} });
  try {
    return await waitForJob(id);
  } finally {
    await runner.stop();
  }
}
