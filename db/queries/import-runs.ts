import "server-only";
import { and, desc, eq, gt, inArray, isNull, lt, ne, notInArray, or, sql } from "drizzle-orm";
import type { ImportRunStatus, ImportStored } from "@/lib/datasets/import-types";
import { conflict } from "@/lib/errors";
import { getDb } from "../client";

export type ImportRunRow = ReturnType<typeof getDb>["t"]["importRuns"]["$inferSelect"];
type NewImportRun = ReturnType<typeof getDb>["t"]["importRuns"]["$inferInsert"];

/**
 * An import whose heartbeat (updatedAt, renewed by every stored batch) is
 * older than this was abandoned: its process died mid-way. A batch of a few
 * hundred records takes seconds, so ten minutes leaves a wide margin.
 */
export const IMPORT_STALE_MS = 10 * 60_000;

export async function createImportRun(input: Omit<NewImportRun, "id" | "createdAt" | "updatedAt">): Promise<ImportRunRow> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.insert(t.importRuns).values({ ...input, updatedAt: new Date() }).returning();
    return row;
  });
}

export async function getImportRun({ id }: { id: string }): Promise<ImportRunRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.importRuns).where(eq(t.importRuns.id, id)).limit(1);
  return row;
}

export async function listImportRuns({ projectId, limit = 20 }: { projectId: string; limit?: number }): Promise<ImportRunRow[]> {
  const { db, t } = getDb();
  return db.select().from(t.importRuns).where(eq(t.importRuns.projectId, projectId)).orderBy(desc(t.importRuns.createdAt)).limit(limit);
}

/** Records validation results or progress, and renews the heartbeat. */
export async function updateImportRun({ id, ...patch }: { id: string } & Partial<Pick<NewImportRun, "bytes" | "lines" | "records" | "invalid" | "report" | "stored" | "jobId" | "uploadPath">>): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.update(t.importRuns).set({ ...patch, updatedAt: new Date() }).where(eq(t.importRuns.id, id)));
}

/**
 * Moves a run to "importing", refusing while another import into the same
 * project is under way: two runs could share prompts, and sweeping a failed
 * one would then take the other's rankings with it. Serialised per project
 * (SQLite: the write lock; PostgreSQL: an advisory lock).
 */
export async function beginImportRun({ id, skipInvalid, jobId }: { id: string; skipInvalid: boolean; jobId?: string }): Promise<ImportRunRow> {
  const { t, tx, dialect } = getDb();
  return tx(async (db) => {
    const [run] = await db.select().from(t.importRuns).where(eq(t.importRuns.id, id)).limit(1);
    if (!run) throw conflict("This import no longer exists");
    if (dialect === "postgres") await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`import:${run.projectId}`}))`);
    if (run.status !== "uploaded" && run.status !== "importing") throw conflict(`This import is already ${run.status}`);
    const fresh = new Date(Date.now() - IMPORT_STALE_MS);
    const [other] = await db
      .select({ id: t.importRuns.id })
      .from(t.importRuns)
      .where(and(eq(t.importRuns.projectId, run.projectId), eq(t.importRuns.status, "importing"), ne(t.importRuns.id, id), gt(t.importRuns.updatedAt, fresh)))
      .limit(1);
    if (other) throw conflict(`Another import into this project is running (${other.id}); wait for it to finish`);
    const [row] = await db
      .update(t.importRuns)
      .set({ status: "importing", skipInvalid, ...(jobId ? { jobId } : {}), updatedAt: new Date() })
      .where(eq(t.importRuns.id, id))
      .returning();
    return row;
  });
}

/** Ends a run: done (its rankings appear in exports), or failed / cancelled after its rows were swept. */
export async function finishImportRun({ id, status, stored, error }: { id: string; status: Extract<ImportRunStatus, "done" | "failed" | "cancelled">; stored?: ImportStored; error?: string }): Promise<void> {
  const { t, tx } = getDb();
  const now = new Date();
  await tx((db) => db.update(t.importRuns).set({ status, ...(stored ? { stored } : {}), error: error ?? null, uploadPath: null, updatedAt: now, finishedAt: now }).where(eq(t.importRuns.id, id)));
}

/**
 * Runs left "importing" by a process that died: the heartbeat is stale and no
 * live job owns them (a job's run is resumed by its job, unless the job
 * itself has ended).
 */
export async function listAbandonedImportRuns(): Promise<ImportRunRow[]> {
  const { db, t } = getDb();
  const stale = new Date(Date.now() - IMPORT_STALE_MS);
  const liveJobs = db.select({ id: t.jobs.id }).from(t.jobs).where(inArray(t.jobs.status, ["queued", "running"]));
  return db
    .select()
    .from(t.importRuns)
    .where(and(
      eq(t.importRuns.status, "importing"),
      lt(t.importRuns.updatedAt, stale),
      or(isNull(t.importRuns.jobId), notInArray(t.importRuns.jobId, liveJobs)),
    ));
}

/** Uploads validated but never started, older than `olderThanMs`: their files can go. */
export async function listStaleUploads({ olderThanMs }: { olderThanMs: number }): Promise<ImportRunRow[]> {
  const { db, t } = getDb();
  return db.select().from(t.importRuns).where(and(eq(t.importRuns.status, "uploaded"), lt(t.importRuns.createdAt, new Date(Date.now() - olderThanMs))));
}

/** Forgets an upload that was never imported (its file is deleted by the caller). */
export async function deleteUploadedRun({ id }: { id: string }): Promise<ImportRunRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.delete(t.importRuns).where(and(eq(t.importRuns.id, id), eq(t.importRuns.status, "uploaded"))).returning();
    return row;
  });
}
