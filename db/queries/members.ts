import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { forbidden, notFound } from "@/lib/errors";
import { worksWithoutMembership, type MemberRole } from "@/lib/queue/membership";
import type { Role } from "@/lib/users/roles";
import { getDb } from "../client";

export type MemberRow = ReturnType<typeof getDb>["t"]["projectMembers"]["$inferSelect"];

/** What an admin may set on a member; null clears a limit (no quota, any tag, any language). */
export interface MemberSettings {
  role?: MemberRole;
  quota?: number | null;
  tags?: string[] | null;
  languages?: string[] | null;
}

export async function isProjectMember({ projectId, userId }: { projectId: string; userId: string }): Promise<boolean> {
  return (await getMember({ projectId, userId })) !== undefined;
}

export async function getMember({ projectId, userId }: { projectId: string; userId: string }): Promise<MemberRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db
    .select()
    .from(t.projectMembers)
    .where(and(eq(t.projectMembers.projectId, projectId), eq(t.projectMembers.userId, userId)))
    .limit(1);
  return row;
}

/**
 * The gate for labeling a project (listing it, claiming, submitting,
 * skipping): a project that does not exist is not found; a user whose role
 * needs membership (annotators, reviewers) and who is not a member is refused.
 * Returns the membership (null for an admin or researcher who is not a member).
 */
export async function requireProjectAccess({ projectId, user }: { projectId: string; user: { id: string; role: Role } }): Promise<MemberRow | null> {
  const { db, t } = getDb();
  const [project] = await db.select({ id: t.projects.id }).from(t.projects).where(eq(t.projects.id, projectId)).limit(1);
  if (!project) throw notFound("Project");
  const member = await getMember({ projectId, userId: user.id });
  if (member) return member;
  if (worksWithoutMembership(user.role)) return null;
  throw forbidden("You are not a member of this project; ask an admin to add you");
}

/** requireProjectAccess for the project of one of the caller's assignments (someone else's is not found, as in getOwnAssignment). */
export async function requireAssignmentAccess({ assignmentId, user }: { assignmentId: string; user: { id: string; role: Role } }): Promise<MemberRow | null> {
  const { db, t } = getDb();
  const [a] = await db
    .select({ projectId: t.assignments.projectId, userId: t.assignments.userId })
    .from(t.assignments)
    .where(eq(t.assignments.id, assignmentId))
    .limit(1);
  if (!a || a.userId !== user.id) throw notFound("Assignment");
  return requireProjectAccess({ projectId: a.projectId, user });
}

/** Ids of the projects a user is a member of. */
export async function listMemberProjectIds({ userId }: { userId: string }): Promise<string[]> {
  const { db, t } = getDb();
  const rows = await db.select({ id: t.projectMembers.projectId }).from(t.projectMembers).where(eq(t.projectMembers.userId, userId));
  return rows.map((r) => r.id);
}

/** A project's members with their names and how many regular rankings each has submitted there. */
export async function listMembers({ projectId }: { projectId: string }) {
  const { db, t } = getDb();
  const submitted = sql<number>`(select count(*) from ${t.assignments} where ${t.assignments.projectId} = ${t.projectMembers.projectId} and ${t.assignments.userId} = ${t.projectMembers.userId} and ${t.assignments.kind} = 'task' and ${t.assignments.status} = 'submitted')`;
  const rows = await db
    .select({ member: t.projectMembers, name: t.users.name, email: t.users.email, userRole: t.users.role, disabled: t.users.disabled, submitted })
    .from(t.projectMembers)
    .innerJoin(t.users, eq(t.users.id, t.projectMembers.userId))
    .where(eq(t.projectMembers.projectId, projectId))
    .orderBy(asc(t.users.name), asc(t.users.id));
  return rows.map((r) => ({ ...r.member, name: r.name, email: r.email, userRole: r.userRole, disabled: r.disabled, submitted: Number(r.submitted) }));
}

/**
 * Adds users to a project in one transaction; users already members keep their
 * settings. Refuses the whole batch when an id is not a user.
 */
export async function addMembers(input: { projectId: string; userIds: string[]; addedBy: string } & MemberSettings): Promise<{ added: string[]; already: string[] }> {
  const { t, tx } = getDb();
  const ids = [...new Set(input.userIds)];
  return tx(async (db) => {
    const found = await db.select({ id: t.users.id }).from(t.users).where(inArray(t.users.id, ids));
    if (found.length !== ids.length) throw notFound("User");
    const existing = new Set(
      (await db.select({ id: t.projectMembers.userId }).from(t.projectMembers).where(and(eq(t.projectMembers.projectId, input.projectId), inArray(t.projectMembers.userId, ids)))).map((r) => r.id),
    );
    const added = ids.filter((id) => !existing.has(id));
    if (added.length) {
      await db
        .insert(t.projectMembers)
        .values(added.map((userId) => ({ projectId: input.projectId, userId, role: input.role ?? "annotator", quota: input.quota ?? null, tags: input.tags ?? null, languages: input.languages ?? null, addedBy: input.addedBy })))
        .onConflictDoNothing();
    }
    return { added, already: ids.filter((id) => existing.has(id)) };
  });
}

export async function updateMember({ projectId, userId, ...patch }: { projectId: string; userId: string } & MemberSettings): Promise<MemberRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db
      .update(t.projectMembers)
      .set(patch)
      .where(and(eq(t.projectMembers.projectId, projectId), eq(t.projectMembers.userId, userId)))
      .returning();
    return row;
  });
}

/** Removes a member; the prompts they hold return to the queue at once rather than when the lease runs out. */
export async function removeMember({ projectId, userId }: { projectId: string; userId: string }): Promise<boolean> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const removed = await db
      .delete(t.projectMembers)
      .where(and(eq(t.projectMembers.projectId, projectId), eq(t.projectMembers.userId, userId)))
      .returning({ userId: t.projectMembers.userId });
    if (removed.length === 0) return false;
    await expireLeases({ projectId, userId });
    return true;
  });
}

/**
 * Starts a member's next qualification attempt (after a failure, say). The new
 * batch is drawn from gold prompts they have not ranked yet: they saw the
 * expected answers of the old batch in the feedback.
 */
export async function resetQualification({ projectId, userId }: { projectId: string; userId: string }): Promise<MemberRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db
      .update(t.projectMembers)
      .set({ qualificationStatus: "pending", qualificationAttempt: sql`${t.projectMembers.qualificationAttempt} + 1` })
      .where(and(eq(t.projectMembers.projectId, projectId), eq(t.projectMembers.userId, userId)))
      .returning();
    if (row) await expireLeases({ projectId, userId, kind: "qualification" });
    return row;
  });
}

async function expireLeases({ projectId, userId, kind }: { projectId: string; userId: string; kind?: "qualification" }): Promise<void> {
  const { db, t } = getDb();
  await db
    .update(t.assignments)
    .set({ status: "expired" })
    .where(and(eq(t.assignments.projectId, projectId), eq(t.assignments.userId, userId), eq(t.assignments.status, "active"), kind ? eq(t.assignments.kind, kind) : undefined));
}
