import "server-only";
import os from "node:os";
import { claimNextJob, finishJob, gaveUpMessage, heartbeatJob, type JobRow } from "@/db/queries/jobs";
import { describeZodError } from "@/lib/errors";
import type { JobContext, JobDefinition } from "./define";
import { storableMessage } from "./sanitize";

export class JobCancelled extends Error {
  constructor(readonly reason: "cancelled" | "lease_lost") {
    super(reason === "cancelled" ? "Job cancelled" : "Lease lost to another worker");
  }
}

export interface RunnerOptions {
  /** The kinds this worker claims and runs (lib/jobs/registry.ts in production). */
  jobs: readonly JobDefinition[];
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  log?: (msg: string) => void;
}

/**
 * Claims and runs jobs one at a time until stopped. The lease is renewed
 * every third of its length; a worker that dies simply stops renewing, and
 * another worker claims the job when the lease expires and resumes it from
 * its checkpoint (handlers are written to skip work already stored), up to
 * the kind's maxAttempts claims: after that the job is failed, not reclaimed.
 */
export function startJobRunner(opts: RunnerOptions): { stop: () => Promise<void>; owner: string } {
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1000;
  const log = opts.log ?? ((m: string) => console.log(`[jobs] ${m}`));
  const byKind = indexByKind(opts.jobs);
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let job: JobRow | undefined;
      try {
        job = await claimNextJob({
          owner,
          leaseMs,
          kinds: [...byKind.values()],
          onGiveUp: (g) => log(`job ${g.id} (${g.kind}) failed: ${gaveUpMessage(g.attempts)}`),
        });
      } catch (err) {
        log(`claim failed: ${(err as Error).message}`);
      }
      if (job) {
        // claimNextJob only returns kinds in byKind. Nothing a job does may stop the loop; an unrecorded outcome is retried after the lease.
        await runOne(job, byKind.get(job.kind)!, owner, leaseMs, log).catch((e: Error) => log(`job ${job.id}: ${storableMessage(e.message, 300)}`));
      }
      else await new Promise<void>((r) => { wake = r; setTimeout(r, pollMs); });
    }
  })();
  return {
    owner,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}

function indexByKind(jobs: readonly JobDefinition[]): Map<string, JobDefinition> {
  const byKind = new Map<string, JobDefinition>();
  for (const def of jobs) {
    if (byKind.has(def.kind)) throw new Error(`job kind "${def.kind}" is defined twice`);
    byKind.set(def.kind, def);
  }
  return byKind;
}

/**
 * The stored payload, parsed by the kind's schema. A row written before its
 * schema changed may no longer fit: the job then fails with the field named
 * instead of the handler running on a payload it does not expect.
 */
function parsePayload(def: JobDefinition, job: JobRow): Record<string, unknown> {
  const parsed = def.payload.safeParse(job.payload);
  if (!parsed.success) throw new Error(`the stored payload does not fit the ${job.kind} job: ${describeZodError(parsed.error, "payload")}`);
  return parsed.data;
}

async function runOne(job: JobRow, def: JobDefinition, owner: string, leaseMs: number, log: (m: string) => void): Promise<void> {
  const controller = new AbortController();
  const check = (r: { owned: boolean; cancelRequested: boolean }) => {
    if (!r.owned) controller.abort(new JobCancelled("lease_lost"));
    else if (r.cancelRequested) controller.abort(new JobCancelled("cancelled"));
  };
  let last: { done?: number; total?: number } = {};
  const timer = setInterval(() => {
    heartbeatJob({ id: job.id, owner, leaseMs, progressDone: last.done, progressTotal: last.total }).then(check, (e: Error) => log(`heartbeat failed: ${e.message}`));
  }, Math.max(1000, leaseMs / 3));
  const ctx: JobContext = {
    job,
    signal: controller.signal,
    async progress(update) {
      last = { done: update.done, total: update.total };
      check(await heartbeatJob({ id: job.id, owner, leaseMs, progressDone: update.done, progressTotal: update.total, checkpoint: update.checkpoint, result: update.result }));
      if (controller.signal.aborted) throw controller.signal.reason;
    },
  };
  log(`running ${job.kind} job ${job.id} (attempt ${job.attempts} of ${def.maxAttempts})`);
  try {
    const result = await def.handler(parsePayload(def, job), ctx);
    await finishJob({ id: job.id, owner, status: "succeeded", result: result ?? undefined });
    log(`job ${job.id} succeeded`);
  } catch (err) {
    const reason = err instanceof JobCancelled ? err.reason : controller.signal.aborted ? (controller.signal.reason as JobCancelled)?.reason : undefined;
    if (reason === "lease_lost") log(`job ${job.id}: lease lost; leaving it to its new owner`);
    else if (reason === "cancelled") await finishJob({ id: job.id, owner, status: "cancelled" });
    else {
      log(`job ${job.id} failed: ${storableMessage((err as Error).stack ?? String(err), 4000)}`);
      await finishJob({ id: job.id, owner, status: "failed", error: storableMessage((err as Error).message ?? String(err)) }).catch((e: Error) =>
        // The database may be the reason the job failed; the lease then expires and another attempt follows.
        log(`could not record the failure of job ${job.id}: ${storableMessage(e.message, 300)}`),
      );
    }
  } finally {
    clearInterval(timer);
  }
}
