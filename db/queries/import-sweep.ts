import "server-only";
import { and, eq, inArray, isNotNull, like, max, notExists, sql } from "drizzle-orm";
import { getDb } from "../client";

/**
 * Removing what a failed or cancelled import stored. Batches commit one by
 * one (a single transaction over a large file would hold SQLite's write lock
 * for minutes and stop every annotator), so a run that stops part-way is
 * undone by deleting the rows tagged with its id: its rankings, then the
 * prompts and completions it created, except where annotators have ranked or
 * hold those prompts meanwhile (their work is not deleted with it), then the
 * pseudo-users nobody's rankings point to any more.
 */
export async function sweepImportRun({ runId }: { runId: string }): Promise<void> {
  const { t, tx } = getDb();
  await tx(async (db) => {
    await db.delete(t.rankings).where(eq(t.rankings.importRunId, runId));
    const untouched = (promptId: typeof t.prompts.id) => and(
      notExists(db.select({ one: sql`1` }).from(t.rankings).where(eq(t.rankings.promptId, promptId))),
      notExists(db.select({ one: sql`1` }).from(t.assignments).where(eq(t.assignments.promptId, promptId))),
    );
    await db.delete(t.prompts).where(and(eq(t.prompts.importRunId, runId), untouched(t.prompts.id)));
    await deleteUnreferencedCompletions(runId);
    await deleteUnusedImportUsers();
  });
}

/**
 * The run's completions that are left sit on prompts someone else ranks or
 * holds; those nobody ranked or was shown go.
 */
async function deleteUnreferencedCompletions(runId: string): Promise<void> {
  const { db, t } = getDb();
  const left = await db.select({ id: t.completions.id, promptId: t.completions.promptId }).from(t.completions).where(eq(t.completions.importRunId, runId));
  const promptIds = [...new Set(left.map((c) => c.promptId))];
  const referenced = new Set<string>();
  for (let i = 0; i < promptIds.length; i += 400) {
    const part = promptIds.slice(i, i + 400);
    for (const r of await db.select({ ranks: t.rankings.ranks }).from(t.rankings).where(inArray(t.rankings.promptId, part))) Object.keys(r.ranks).forEach((id) => referenced.add(id));
    for (const a of await db.select({ shown: t.assignments.shownOrder }).from(t.assignments).where(inArray(t.assignments.promptId, part))) a.shown?.forEach((id) => referenced.add(id));
  }
  const unused = left.filter((c) => !referenced.has(c.id)).map((c) => c.id);
  for (let i = 0; i < unused.length; i += 400) await db.delete(t.completions).where(inArray(t.completions.id, unused.slice(i, i + 400)));
}

/** Disabled pseudo-users of imports ("…@import.invalid") with no ranking left. */
async function deleteUnusedImportUsers(): Promise<void> {
  const { db, t } = getDb();
  await db.delete(t.users).where(and(
    like(t.users.email, "%@import.invalid"),
    eq(t.users.disabled, true),
    notExists(db.select({ one: sql`1` }).from(t.rankings).where(eq(t.rankings.userId, t.users.id))),
  ));
}

/** The last file line a run has stored: batches commit whole, so an import resumes after it. 0 when nothing is stored. */
export async function lastImportedLine({ runId }: { runId: string }): Promise<number> {
  const { db, t } = getDb();
  const [row] = await db.select({ line: max(t.rankings.importLine) }).from(t.rankings).where(and(eq(t.rankings.importRunId, runId), isNotNull(t.rankings.importLine)));
  return Number(row?.line ?? 0);
}

/** How many rows a run has stored so far (for a resumed import's summary). */
export async function countImportedRows({ runId }: { runId: string }): Promise<{ prompts: number; completions: number; rankings: number }> {
  const { db, t } = getDb();
  const [prompts, completions, rankings] = await Promise.all([
    db.$count(t.prompts, eq(t.prompts.importRunId, runId)),
    db.$count(t.completions, eq(t.completions.importRunId, runId)),
    db.$count(t.rankings, eq(t.rankings.importRunId, runId)),
  ]);
  return { prompts: Number(prompts), completions: Number(completions), rankings: Number(rankings) };
}
