import "server-only";
import { and, asc, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { getDb } from "../client";

export type AssignmentRow = ReturnType<typeof getDb>["t"]["assignments"]["$inferSelect"];

/** Shuffles a copy (Fisher–Yates with crypto randomness): each annotator sees their own order. */
function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  const rnd = crypto.getRandomValues(new Uint32Array(out.length));
  for (let i = out.length - 1; i > 0; i--) {
    const j = rnd[i] % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Gives `userId` the next prompt of a project that still needs rankings, with
 * a lease. Never a prompt they ranked or skipped; never more holders than
 * rankings still wanted (N minus rankings minus live leases of others).
 * An unexpired lease they already hold is returned again. Claims within one
 * project are serialised (SQLite: the write lock; PostgreSQL: a transaction
 * advisory lock), so two annotators clicking at once never share a slot.
 */
export async function claimTask({ projectId, userId, leaseMs }: { projectId: string; userId: string; leaseMs: number }): Promise<AssignmentRow | null> {
  const { t, tx, dialect } = getDb();
  return tx(async (db) => {
    if (dialect === "postgres") await db.execute(sql`select pg_advisory_xact_lock(hashtext(${projectId}))`);
    const now = new Date();
    const [project] = await db.select().from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
    if (!project) throw notFound("Project");
    if (project.status !== "active") throw new AppError("conflict", "This project is not accepting rankings right now");
    const [held] = await db
      .select()
      .from(t.assignments)
      .where(and(eq(t.assignments.projectId, projectId), eq(t.assignments.userId, userId), eq(t.assignments.status, "active"), gt(t.assignments.leaseExpiresAt, now)))
      .limit(1);
    if (held) return held;

    const touchedByUser = db.select({ id: t.assignments.promptId }).from(t.assignments).where(and(eq(t.assignments.userId, userId), eq(t.assignments.projectId, projectId), inArray(t.assignments.status, ["submitted", "skipped"])));
    const rankedByUser = db.select({ id: t.rankings.promptId }).from(t.rankings).where(and(eq(t.rankings.userId, userId), eq(t.rankings.projectId, projectId)));
    // A ranking a reviewer rejected no longer counts towards N, so its prompt comes back to the queue.
    const rankingCount = sql<number>`(select count(*) from ${t.rankings} where ${t.rankings.promptId} = ${t.prompts.id} and ${t.rankings.reviewStatus} <> 'rejected')`;
    const liveLeases = sql<number>`(select count(*) from ${t.assignments} where ${t.assignments.promptId} = ${t.prompts.id} and ${t.assignments.status} = 'active' and ${t.assignments.leaseExpiresAt} > ${dialect === "sqlite" ? now.getTime() : now})`;
    const completionCount = sql<number>`(select count(*) from ${t.completions} where ${t.completions.promptId} = ${t.prompts.id})`;
    const [candidate] = await db
      .select({ id: t.prompts.id })
      .from(t.prompts)
      .where(
        and(
          eq(t.prompts.projectId, projectId),
          notInArray(t.prompts.id, touchedByUser),
          notInArray(t.prompts.id, rankedByUser),
          sql`${completionCount} >= 2`,
          sql`${rankingCount} + ${liveLeases} < ${project.rankingsPerPrompt}`,
        ),
      )
      // Finish prompts others started first, so complete overlap sets appear early.
      .orderBy(sql`${rankingCount} desc`, asc(t.prompts.createdAt), asc(t.prompts.id))
      .limit(1);
    if (!candidate) return null;
    // An old expired lease of this user on this prompt is closed so only one row is active.
    await db.update(t.assignments).set({ status: "expired" }).where(and(eq(t.assignments.promptId, candidate.id), eq(t.assignments.userId, userId), eq(t.assignments.status, "active")));
    const completionIds = (await db.select({ id: t.completions.id }).from(t.completions).where(eq(t.completions.promptId, candidate.id)).orderBy(asc(t.completions.id))).map((c) => c.id);
    const [row] = await db
      .insert(t.assignments)
      .values({ projectId, promptId: candidate.id, userId, leaseExpiresAt: new Date(now.getTime() + leaseMs), shownOrder: shuffled(completionIds) })
      .returning();
    return row;
  });
}

export async function getAssignment({ id }: { id: string }): Promise<AssignmentRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.assignments).where(eq(t.assignments.id, id)).limit(1);
  return row;
}

/** Loads an assignment for its holder, refusing someone else's (as not found: ids are not confirmed to others). */
export async function getOwnAssignment({ id, userId }: { id: string; userId: string }): Promise<AssignmentRow> {
  const row = await getAssignment({ id });
  if (!row || row.userId !== userId) throw notFound("Assignment");
  return row;
}

export async function skipTask({ id, userId, reason }: { id: string; userId: string; reason: string }): Promise<void> {
  const { t, tx } = getDb();
  await tx(async (db) => {
    const a = await getOwnAssignment({ id, userId });
    if (a.status === "skipped") return;
    if (a.status !== "active") throw badRequest(`This task is already ${a.status}`);
    await db.update(t.assignments).set({ status: "skipped", skipReason: reason }).where(eq(t.assignments.id, id));
  });
}
