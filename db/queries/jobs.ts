import "server-only";
import { and, asc, desc, eq, lt, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { badRequest, describeZodError } from "@/lib/errors";
import { getDb } from "../client";

export type JobRow = ReturnType<typeof getDb>["t"]["jobs"]["$inferSelect"];
export type JobStatus = JobRow["status"];

/**
 * Queues a job of one kind (a `jobKind` from lib/jobs/kinds). The payload is
 * parsed by the kind's schema first, so what is stored has its defaults filled
 * in and a bad payload is refused (naming the field) before anything is written.
 */
export async function enqueueJob<S extends z.ZodType<Record<string, unknown>>>(input: {
  job: { kind: string; payload: S };
  payload: NoInfer<z.input<S>>;
  projectId?: string | null;
  createdBy?: string | null;
  progressTotal?: number;
}): Promise<JobRow> {
  const { job, ...row } = input;
  const parsed = job.payload.safeParse(row.payload);
  if (!parsed.success) throw badRequest(`cannot queue a ${job.kind} job: ${describeZodError(parsed.error, "payload")}`);
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [inserted] = await db
      .insert(t.jobs)
      .values({ ...row, kind: job.kind, payload: parsed.data, progressTotal: row.progressTotal ?? 0, status: "queued", updatedAt: new Date() })
      .returning();
    return inserted;
  });
}

export async function getJob({ id }: { id: string }): Promise<JobRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.jobs).where(eq(t.jobs.id, id)).limit(1);
  return row;
}

export async function listJobs({ projectId, limit = 20 }: { projectId?: string; limit?: number }): Promise<JobRow[]> {
  const { db, t } = getDb();
  return db.select().from(t.jobs).where(projectId ? eq(t.jobs.projectId, projectId) : undefined).orderBy(desc(t.jobs.createdAt)).limit(limit);
}

/** The unfinished job of one kind for a project, if any (so "Generate" twice does not queue two). */
export async function findOpenJob({ projectId, job: { kind } }: { projectId: string; job: { kind: string } }): Promise<JobRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db
    .select()
    .from(t.jobs)
    .where(and(eq(t.jobs.projectId, projectId), eq(t.jobs.kind, kind), or(eq(t.jobs.status, "queued"), eq(t.jobs.status, "running"))))
    .limit(1);
  return row;
}

/** The message a job that exhausted its attempts is failed with. */
export function gaveUpMessage(attempts: number): string {
  return `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}; the worker stopped while running it each time`;
}

/**
 * Claims the oldest runnable job: queued, or running with an expired lease
 * (its worker died). On PostgreSQL `FOR UPDATE SKIP LOCKED` lets many workers
 * claim at once without taking the same job; on SQLite the transaction's
 * write lock does the same. Each claim counts as an attempt; a job that has
 * had its kind's `maxAttempts` and comes up again (every worker that ran it
 * died) is marked failed instead, and the next runnable job is claimed.
 */
export async function claimNextJob({ owner, leaseMs, kinds, onGiveUp }: {
  owner: string;
  leaseMs: number;
  /** The kinds this worker runs, with the most claims each allows (job kinds have this shape). */
  kinds: readonly { kind: string; maxAttempts: number }[];
  onGiveUp?: (job: { id: string; kind: string; attempts: number }) => void;
}): Promise<JobRow | undefined> {
  const { t, tx, dialect } = getDb();
  const maxAttempts = new Map(kinds.map((k) => [k.kind, k.maxAttempts]));
  const given: { id: string; kind: string; attempts: number }[] = [];
  const claimed = await tx(async (db) => {
    const now = new Date();
    const runnable = and(
      or(eq(t.jobs.status, "queued"), and(eq(t.jobs.status, "running"), lt(t.jobs.leaseExpiresAt, now))),
      eq(t.jobs.cancelRequested, false),
      sql`${t.jobs.kind} in (${sql.join([...maxAttempts.keys()].map((k) => sql`${k}`), sql`, `)})`,
    );
    for (;;) {
      const base = db.select({ id: t.jobs.id, kind: t.jobs.kind, attempts: t.jobs.attempts, startedAt: t.jobs.startedAt }).from(t.jobs).where(runnable).orderBy(asc(t.jobs.createdAt)).limit(1);
      const [candidate] = dialect === "postgres" ? await base.for("update", { skipLocked: true }) : await base;
      if (!candidate) return undefined;
      if (candidate.attempts >= (maxAttempts.get(candidate.kind) ?? 1)) {
        await db
          .update(t.jobs)
          .set({ status: "failed", error: gaveUpMessage(candidate.attempts), finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null })
          .where(eq(t.jobs.id, candidate.id));
        given.push(candidate);
        continue;
      }
      const [row] = await db
        .update(t.jobs)
        .set({
          status: "running",
          leaseOwner: owner,
          leaseExpiresAt: new Date(now.getTime() + leaseMs),
          attempts: sql`${t.jobs.attempts} + 1`,
          startedAt: candidate.startedAt ?? now,
          updatedAt: now,
        })
        .where(eq(t.jobs.id, candidate.id))
        .returning();
      return row;
    }
  });
  // After the commit: a give-up rolled back with its transaction was not one.
  for (const g of given) onGiveUp?.(g);
  return claimed;
}

/**
 * Extends the lease and records progress. Returns false when the caller no
 * longer owns the job (its lease expired and another worker took it), so it
 * must stop without writing more.
 */
export async function heartbeatJob(input: { id: string; owner: string; leaseMs: number; progressDone?: number; progressTotal?: number; checkpoint?: Record<string, unknown>; result?: Record<string, unknown> }): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const { id, owner, leaseMs, ...progress } = input;
    const now = new Date();
    const [row] = await db
      .update(t.jobs)
      .set({ ...progress, leaseExpiresAt: new Date(now.getTime() + leaseMs), updatedAt: now })
      .where(and(eq(t.jobs.id, id), eq(t.jobs.leaseOwner, owner), eq(t.jobs.status, "running")))
      .returning({ cancelRequested: t.jobs.cancelRequested });
    return { owned: Boolean(row), cancelRequested: row?.cancelRequested ?? false };
  });
}

export async function finishJob(input: { id: string; owner: string; status: "succeeded" | "failed" | "cancelled"; result?: Record<string, unknown>; error?: string }): Promise<boolean> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const now = new Date();
    const rows = await db
      .update(t.jobs)
      .set({ status: input.status, result: input.result, error: input.error ?? null, finishedAt: now, updatedAt: now, leaseOwner: null, leaseExpiresAt: null })
      .where(and(eq(t.jobs.id, input.id), eq(t.jobs.leaseOwner, input.owner)))
      .returning({ id: t.jobs.id });
    return rows.length > 0;
  });
}

/** A queued job is cancelled at once; a running one is asked to stop at its next checkpoint. */
export async function requestJobCancel({ id }: { id: string }): Promise<JobRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const now = new Date();
    const [queued] = await db
      .update(t.jobs)
      .set({ status: "cancelled", cancelRequested: true, finishedAt: now, updatedAt: now })
      .where(and(eq(t.jobs.id, id), eq(t.jobs.status, "queued")))
      .returning();
    if (queued) return queued;
    const [running] = await db.update(t.jobs).set({ cancelRequested: true, updatedAt: now }).where(eq(t.jobs.id, id)).returning();
    return running;
  });
}
