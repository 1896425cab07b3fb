import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import { AppError, badRequest, notFound } from "@/lib/errors";
import { getDb } from "../client";
import { getMember } from "./members";
import { refreshQualification } from "./qualification";
import { pickTask } from "./task-candidates";

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
 * An unexpired lease they already hold is returned again. A member's
 * qualification batch, quota, languages and tags and the project's gold rate
 * decide what comes next (see pickTask); callers check membership first
 * (requireProjectAccess). Claims within one project are serialised (SQLite:
 * the write lock; PostgreSQL: a transaction advisory lock), so two annotators
 * clicking at once never share a slot.
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

    const member = (await getMember({ projectId, userId })) ?? null;
    const pick = await pickTask({ project, userId, member, now });
    if (!pick) return null;
    // An old expired lease of this user on this prompt is closed so only one row is active.
    await db.update(t.assignments).set({ status: "expired" }).where(and(eq(t.assignments.promptId, pick.promptId), eq(t.assignments.userId, userId), eq(t.assignments.status, "active")));
    // Annotators' rewrites stay with the ranking they were written in; others rank the model's completions.
    const completionIds = (await db.select({ id: t.completions.id }).from(t.completions).where(and(eq(t.completions.promptId, pick.promptId), eq(t.completions.source, "model"))).orderBy(asc(t.completions.id))).map((c) => c.id);
    const [row] = await db
      .insert(t.assignments)
      .values({ projectId, promptId: pick.promptId, userId, leaseExpiresAt: new Date(now.getTime() + leaseMs), shownOrder: shuffled(completionIds), kind: pick.kind, qualificationAttempt: pick.qualificationAttempt })
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
    // Skipping a qualification item counts as getting it wrong (else any hard item could be skipped).
    const goldMiss = a.kind === "qualification" ? true : null;
    await db.update(t.assignments).set({ status: "skipped", skipReason: reason, goldMiss }).where(eq(t.assignments.id, id));
    if (a.kind !== "qualification") return;
    const [project] = await db.select().from(t.projects).where(eq(t.projects.id, a.projectId)).limit(1);
    const member = await getMember({ projectId: a.projectId, userId });
    if (project && member) await refreshQualification({ project, member });
  });
}
