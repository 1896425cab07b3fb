import "server-only";
import os from "node:os";
import { claimNextJob, finishJob, heartbeatJob, type JobRow } from "@/db/queries/jobs";
import { storableMessage } from "./sanitize";

/** What a job handler gets: its row, a signal that fires on cancel or lost lease, and a way to report progress. */
export interface JobContext {
  job: JobRow;
  signal: AbortSignal;
  /** Records progress (and optionally a checkpoint to resume from); throws if the job was cancelled or taken over. */
  progress(update: { done: number; total?: number; checkpoint?: Record<string, unknown>; result?: Record<string, unknown> }): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<Record<string, unknown> | void>;

export class JobCancelled extends Error {
  constructor(readonly reason: "cancelled" | "lease_lost") {
    super(reason === "cancelled" ? "Job cancelled" : "Lease lost to another worker");
  }
}

export interface RunnerOptions {
  handlers: Record<string, JobHandler>;
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  log?: (msg: string) => void;
}

/**
 * Claims and runs jobs one at a time until stopped. The lease is renewed
 * every third of its length; a worker that dies simply stops renewing, and
 * another worker claims the job when the lease expires and resumes it from
 * its checkpoint (handlers are written to skip work already stored).
 */
export function startJobRunner(opts: RunnerOptions): { stop: () => Promise<void>; owner: string } {
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1000;
  const log = opts.log ?? ((m: string) => console.log(`[jobs] ${m}`));
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      let job: JobRow | undefined;
      try {
        job = await claimNextJob({ owner, leaseMs, kinds: Object.keys(opts.handlers) });
      } catch (err) {
        log(`claim failed: ${(err as Error).message}`);
      }
      if (job) {
        // Nothing a job does may stop the loop; an unrecorded outcome is retried after the lease.
        await runOne(job, opts.handlers[job.kind], owner, leaseMs, log).catch((e: Error) => log(`job ${job.id}: ${storableMessage(e.message, 300)}`));
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

async function runOne(job: JobRow, handler: JobHandler, owner: string, leaseMs: number, log: (m: string) => void): Promise<void> {
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
  log(`running ${job.kind} job ${job.id} (attempt ${job.attempts})`);
  try {
    const result = await handler(ctx);
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
