/**
 * A real worker process whose one job kind kills it, as an out-of-memory kill
 * or a native crash in the engine would: the handler exits the process while
 * the job runs (exit code 137, as after SIGKILL). Started by
 * tests/integration/jobs/attempts.test.ts with the test database's
 * environment; it exits 0 when it has found nothing to run for `idleMs`.
 *
 *   tsx --conditions=react-server tests/support/crash-worker.ts <idleMs>
 */
import { z } from "zod";
import { defineJob, jobKind } from "@/lib/jobs/define";
import { startJobRunner } from "@/lib/jobs/runner";

export const crashJob = jobKind({ kind: "crash-test", payload: z.object({}), maxAttempts: 3 });
/** Short, so the next worker can take the job over soon after this one dies. */
export const CRASH_LEASE_MS = 300;

async function main(idleMs: number): Promise<void> {
  let ran = false;
  const crashing = defineJob({
    ...crashJob,
    handler: async () => {
      ran = true;
      console.log("crash-worker: running the job, now dying");
      process.exit(137);
    },
  });
  const runner = startJobRunner({ jobs: [crashing], leaseMs: CRASH_LEASE_MS, pollMs: 25, log: (m) => console.log(`crash-worker: ${m}`) });
  await new Promise((r) => setTimeout(r, idleMs));
  await runner.stop();
  console.log(`crash-worker: idle for ${idleMs} ms${ran ? "" : ", ran nothing"}`);
  process.exit(0);
}

if (process.argv[1]?.endsWith("crash-worker.ts")) void main(Number(process.argv[2] ?? 1500));
